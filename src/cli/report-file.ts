import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { reportHtml } from '../report/html.js';
import type { ReportData } from '../report/model.js';
import { writeOutput } from './files.js';
import { vlabVersion } from './package-info.js';

/** Chart.js's UMD build, from the installed package (pinned in package.json), to inline in the page. */
function chartLibrary(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}

/** Writes the report page to `path` (through a temporary file, as every output). */
export function writeReport(path: string, data: ReportData): void {
  writeOutput(path, 'report', new TextEncoder().encode(reportHtml(data, chartLibrary(), vlabVersion())));
}
