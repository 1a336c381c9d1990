import { mixed } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(mixed);
