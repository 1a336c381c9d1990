import { codeWrites } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(codeWrites);
