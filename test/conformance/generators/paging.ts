import fc from 'fast-check';
import { CODE_PAGE_COUNT, DATA_PAGE_COUNT, PAGE_RIGHTS, type PageRights } from '../harness/layout.js';
import { NO_PAGING, type PagingSetup } from '../harness/page-tables.js';

const allRights = Object.keys(PAGE_RIGHTS) as PageRights[];

/** Rights of a data page, mostly present so that most accesses get through to what they test. */
const dataRights = fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant<PageRights>('rw-user') }, { weight: 2, arbitrary: fc.constantFrom(...allRights) });
const codeRights = fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant<PageRights>('ro-user') }, { weight: 1, arbitrary: fc.constantFrom<PageRights>('absent', 'ro-kernel') });

const enabledPaging: fc.Arbitrary<PagingSetup> = fc.record({
  enabled: fc.constant(true),
  writeProtect: fc.boolean(),
  nullPage: fc.boolean(),
  dataPages: fc.array(dataRights, { minLength: DATA_PAGE_COUNT, maxLength: DATA_PAGE_COUNT }),
  codePages: fc.array(codeRights, { minLength: CODE_PAGE_COUNT, maxLength: CODE_PAGE_COUNT }),
  aliasLastDataPage: fc.boolean(),
  stackAsPageTable: fc.boolean(),
});

/**
 * A program's paging: off (shrinks there) or an identity map with per-page choices.
 * `always` for generators whose steps need paging on.
 */
export function pagingSetup(mode: 'sometimes' | 'always'): fc.Arbitrary<PagingSetup> {
  return mode === 'always' ? enabledPaging : fc.oneof({ withCrossShrink: true }, fc.constant(NO_PAGING), enabledPaging);
}
