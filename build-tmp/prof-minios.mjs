import { runBare } from './src/engines/run.js';
import { assemble } from './src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
const file = '/work/main/guests/minios.s';
const image = assemble(readFileSync(file, 'utf8'), { file, defines: {}, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') }).image;
const config = { image, guest: 'minios', mode: 'native', isa: 'virtualizable', cpu: 'p4-2005', seed: 0, maxInsns: 1e12, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' };
for (let i = 0; i < 40; i++) runBare(config);
