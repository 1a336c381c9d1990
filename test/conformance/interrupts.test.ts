import { interrupts } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(interrupts);
