import { writeOutput } from '../files.js';
import type { Command } from 'commander';
import { encodeImage, imageHash, type Image } from '../../domain/image/image.js';
import { disassembleImage } from '../../domain/isa/disasm.js';
import { parseDefines } from '../config.js';
import { loadGuest } from '../guest.js';
import type { Io } from '../io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `asm --json` and `disasm --json`: the image and its listing (one line a label or instruction). */
function imageJson(image: Image, bytes: number, output: string | null): unknown {
  return { output, bytes, entry: image.entry, imageHash: imageHash(image), segments: image.segments.map((s) => ({ addr: s.addr, bytes: s.bytes.length })), listing: disassembleImage(image) };
}

export function registerAsm(program: Command, io: Io): void {
  program
    .command('asm')
    .argument('<file>', 'VX32 assembly source')
    .description('assemble a guest: write an image with -o, else print the listing')
    .option('-o, --output <image>', 'image file to write')
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect)
    .option('--json', 'print one JSON object: the image (entry, bytes, hash) and its listing')
    .action((file: string, options: { output?: string; define?: string[]; json?: boolean }) => {
      const { image } = loadGuest(file, parseDefines(options.define));
      const bytes = image.segments.reduce((n, s) => n + s.bytes.length, 0);
      if (options.output === undefined) {
        io.out(options.json === true ? `${JSON.stringify(imageJson(image, bytes, null))}\n` : `${disassembleImage(image).join('\n')}\n`);
        return;
      }
      writeOutput(options.output, 'image', encodeImage(image));
      if (options.json === true) return io.out(`${JSON.stringify(imageJson(image, bytes, options.output))}\n`);
      io.out(`${options.output}: ${bytes} bytes, entry 0x${image.entry.toString(16)}, image hash ${imageHash(image)}\n`);
    });

  program
    .command('disasm')
    .argument('<guest>', 'an image, a .s file or a guest name')
    .description('print the disassembly of a guest image')
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect)
    .option('--json', 'print one JSON object: the image (entry, bytes, hash) and its listing')
    .action((guest: string, options: { define?: string[]; json?: boolean }) => {
      const { image } = loadGuest(guest, parseDefines(options.define));
      const bytes = image.segments.reduce((n, s) => n + s.bytes.length, 0);
      io.out(options.json === true ? `${JSON.stringify(imageJson(image, bytes, null))}\n` : `${disassembleImage(image).join('\n')}\n`);
    });
}
