import { softwareInterrupts } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(softwareInterrupts);
