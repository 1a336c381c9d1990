import tseslint from 'typescript-eslint';

const nondeterminism = [
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Determinism: use the seeded PRNG from the run config.' },
  { selector: "MemberExpression[object.name='Date']", message: 'Determinism: no wall clock in the simulation.' },
  { selector: "NewExpression[callee.name='Date']", message: 'Determinism: no wall clock in the simulation.' },
  { selector: "MemberExpression[object.name='performance']", message: 'Determinism: no wall clock in the simulation.' },
  { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Determinism: no timers in the simulation.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/engines/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...nondeterminism] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path'], message: 'src/domain is pure: no I/O.' },
          { group: ['rxjs', 'rxjs/*', 'msgpackr'], message: 'src/domain knows no streams or encodings.' },
          { group: ['**/engines/**', '**/replay/**', '**/cli/**'], message: 'Dependencies point cli -> replay -> engines -> domain.' },
        ],
      }],
    },
  },
  {
    files: ['src/engines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path'], message: 'engines do no I/O.' },
          { group: ['**/replay/**', '**/cli/**'], message: 'Dependencies point cli -> replay -> engines -> domain.' },
        ],
      }],
    },
  },
);
