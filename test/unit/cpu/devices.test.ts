import { describe, expect, it } from 'vitest';
import { exec } from './harness.js';

const TIMER_HANDLER = `
        .align 8
irq0:   push r0
        ld r0, [ticks]
        add r0, 1
        st [ticks], r0
        out 0x20, r0
        pop r0
        iret
ticks:  .word 0
`;
const WITH_TIMER = 'mov r1, 32 * 8\nadd r1, idt\nmov r2, irq0\nst [r1], r2';

describe('devices', () => {
  it('console: out appends a byte; in consumes input; status says input ready and can send', () => {
    const o = exec('mov r1, 72\nout 0x3f8, r1\nin r2, 0x3fd\nin r3, 0x3f8\nin r4, 0x3f8\nin r5, 0x3fd\nin r6, 0x3f8', { input: 'ok' });
    expect(o.summary.console).toBe('H');
    expect([o.regs[2], o.regs[3], o.regs[4], o.regs[5], o.regs[6]]).toEqual([0x21, 111, 107, 0x20, 0]);
  });

  it('exit port ends the run with its code', () => {
    const o = exec('mov r1, 42\nout 0xf4, r1');
    expect([o.summary.endReason, o.summary.exitCode]).toEqual(['exit', 42]);
  });

  it('timer: an interrupt every P guest instructions retired, the same count in every mode', () => {
    const body = `${WITH_TIMER}\nmov r1, 10\nout 0x40, r1\nsti\nmov r3, 100\nloop: sub r3, 1\njnz loop\ncli\nld r4, [ticks]`;
    const counts = (['native', 'emulate', 'trap-emulate'] as const).map((mode) => exec(body, { extra: TIMER_HANDLER, mode, profile: 'virtualizable' }).regs[4]);
    // The 7-instruction handler counts too: each period of 10 leaves 3 instructions to the
    // 201-instruction loop and cli, so 65 periods pass before the loop is done.
    expect(counts).toEqual([65, 65, 65]);
  });

  it('PIC: a masked line is not delivered; EOI lets the next one in', () => {
    const masked = exec(`${WITH_TIMER}\nmov r1, 1\nout 0x21, r1\nmov r1, 5\nout 0x40, r1\nsti\nnop\nnop\nnop\nnop\nnop\nnop\nnop\ncli\nld r4, [ticks]\nin r5, 0x21`, { extra: TIMER_HANDLER });
    expect([masked.regs[4], masked.regs[5]]).toEqual([0, 1]);
  });

  it('sti; hlt idles until the timer wakes the CPU', () => {
    const o = exec(`${WITH_TIMER}\nmov r1, 1000\nout 0x40, r1\nsti\nhlt\ncli\nld r4, [ticks]`, { extra: TIMER_HANDLER });
    expect(o.regs[4]).toBe(1);
    expect(o.summary.countsByType.idle).toBe(1);
  });

  it('disk: write a sector, read it back, IRQ 14 pending', () => {
    const o = exec(`
        mov r1, 3
        out 0x1f3, r1
        mov r1, 1
        out 0x1f2, r1
        mov r1, 0x30
        out 0x1f7, r1
        mov r2, 128
w:      out 0x1f0, r2
        sub r2, 1
        jnz w
        mov r1, 0x20
        out 0x1f7, r1
        in r3, 0x1f7
        in r4, 0x1f0
        in r5, 0x1f0
        in r6, 0x20`);
    expect([o.regs[3], o.regs[4], o.regs[5]]).toEqual([8, 128, 127]);
    expect(o.state.vms[0]!.dev[0]! & (1 << 14)).toBe(1 << 14);
  });

  it('disk: a sector beyond the disk sets ERR', () => {
    expect(exec('mov r1, 100000\nout 0x1f3, r1\nmov r1, 0x20\nout 0x1f7, r1\nin r2, 0x1f7').regs[2]).toBe(1);
  });
});

describe('how a run ends', () => {
  it('hlt with interrupts off: halt', () => expect(exec('nop').summary.endReason).toBe('halt'));
  it('sti; hlt with nothing to wake the CPU: deadlock', () => expect(exec('sti').summary.endReason).toBe('deadlock'));
  it('the budget of guest instructions', () => {
    const o = exec('spin: jmp spin', { maxInsns: 500 });
    expect([o.summary.endReason, o.summary.guestInsns]).toEqual(['budget', 500]);
  });
});
