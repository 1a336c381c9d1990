/**
 * Bounds on what one assembly may ask for, so that no source overflows the assembler's
 * stack, expands without end or allocates beyond reason; each is reported at its line.
 */
export const ASM_LIMITS = {
  /** Nested `.include`s and macro invocations. */
  depth: 64,
  /** Nested parentheses and unary operators in one expression. */
  expressionDepth: 256,
  /** Logical lines after every include and macro expansion. */
  lines: 1_000_000,
  /** Bytes placed in all segments together; also the largest `.space` and `.align`. */
  imageBytes: 16 << 20,
} as const;
