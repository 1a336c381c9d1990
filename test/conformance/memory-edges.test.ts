import { memoryEdges } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(memoryEdges);
