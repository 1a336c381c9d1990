export { assemble, type AssembleOptions, type AssembleResult } from './assemble.js';
export { formatAsmError, type AsmError } from './errors.js';
