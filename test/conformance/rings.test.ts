import { rings } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(rings);
