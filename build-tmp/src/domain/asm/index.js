export { assemble } from './assemble.js';
export { formatAsmError } from './errors.js';
