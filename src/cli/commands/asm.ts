import { writeOutput } from '../files.js';
import type { Command } from 'commander';
import { encodeImage, imageHash } from '../../domain/image/image.js';
import { disassembleImage } from '../../domain/isa/disasm.js';
import { parseDefines } from '../config.js';
import { loadGuest } from '../guest.js';
import type { Io } from '../io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAsm(program: Command, io: Io): void {
  program
    .command('asm')
    .argument('<file>', 'VX32 assembly source')
    .description('assemble a guest: write an image with -o, else print the listing')
    .option('-o, --output <image>', 'image file to write')
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect)
    .action((file: string, options: { output?: string; define?: string[] }) => {
      const { image } = loadGuest(file, parseDefines(options.define));
      if (options.output === undefined) {
        io.out(`${disassembleImage(image).join('\n')}\n`);
        return;
      }
      writeOutput(options.output, 'image', encodeImage(image));
      const bytes = image.segments.reduce((n, s) => n + s.bytes.length, 0);
      io.out(`${options.output}: ${bytes} bytes, entry 0x${image.entry.toString(16)}, image hash ${imageHash(image)}\n`);
    });

  program
    .command('disasm')
    .argument('<guest>', 'an image, a .s file or a guest name')
    .description('print the disassembly of a guest image')
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect)
    .action((guest: string, options: { define?: string[] }) => {
      io.out(`${disassembleImage(loadGuest(guest, parseDefines(options.define)).image).join('\n')}\n`);
    });
}
