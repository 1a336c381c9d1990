import { livePageTables } from './generators/families.js';
import { describeFamily } from './suite.js';

describeFamily(livePageTables);
