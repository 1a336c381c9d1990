import { sensitiveInstructions } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(sensitiveInstructions);
