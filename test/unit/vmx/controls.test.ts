import { describe, expect, it } from 'vitest';
import { Vector } from '../../../src/domain/isa/arch.js';
import { ProcControl, Proc2Control, Vmcs } from '../../../src/domain/state/vmcs.js';
import { FIRST_GENERATION, WITH_EPT, parseVmcs } from '../../../src/engines/vmx/controls.js';
import { controlWords } from '../../../src/engines/vmx/vmcs.js';

describe('--vmcs controls', () => {
  it('defaults to a first-generation VMM, or a VMM with EPT', () => {
    expect(parseVmcs(undefined)).toEqual(FIRST_GENERATION);
    expect(parseVmcs('ept=1')).toEqual(WITH_EPT);
    expect(FIRST_GENERATION.exceptionBitmap).toBe(1 << Vector.PF);
    expect(WITH_EPT.exceptionBitmap).toBe(0);
  });

  it('changes single controls', () => {
    expect(parseVmcs('rdtsc-exiting=1').rdtscExiting).toBe(true);
    expect(parseVmcs('io=bitmap:0x3f8').io).toBe(0x3f8);
    expect(parseVmcs('io=none').io).toBe('none');
    expect(parseVmcs('exceptions=+13').exceptionBitmap).toBe((1 << Vector.PF) | (1 << Vector.GP));
    expect(parseVmcs('ept=1,exceptions=0x4000').exceptionBitmap).toBe(0x4000);
    expect(parseVmcs('interrupt-window-exiting=0').interruptWindowExiting).toBe(false);
    expect(parseVmcs('cr4-mask=4').cr4Mask).toBe(4);
    expect(parseVmcs('tpr-threshold=3').tprThreshold).toBe(3);
    expect(parseVmcs('tsc-offset=-1000').tscOffset).toBe(-1000);
    expect(parseVmcs('tsc-offset=0xffffffff').tscOffset).toBe(-1);
    expect(parseVmcs('use-tsc-offsetting=0').useTscOffsetting).toBe(false);
  });

  it('says in one line what is wrong and what is valid', () => {
    expect(() => parseVmcs('foo=1')).toThrow(/unknown key 'foo' \(valid: ept, .*rdtsc-exiting.*interrupt-window-exiting.*io, exceptions, cr0-mask, cr4-mask, tpr-threshold, tsc-offset\)/);
    expect(() => parseVmcs('tpr-threshold=16')).toThrow(/expected a number 0-15/);
    expect(() => parseVmcs('cr4-mask=-1')).toThrow(/expected a number 0-4294967295/);
    expect(() => parseVmcs('cr0-mask=1')).toThrow(/CR0.PG and CR0.WP owned/);
    expect(parseVmcs('ept=1,cr0-mask=0').cr0Mask).toBe(0);
    expect(() => parseVmcs('use-tpr-shadow=0')).toThrow(/without use-tpr-shadow.*cr8-load-exiting=1 and cr8-store-exiting=1/);
    expect(parseVmcs('use-tpr-shadow=0,cr8-load-exiting=1,cr8-store-exiting=1').useTprShadow).toBe(false);
    expect(() => parseVmcs('rdtsc-exiting=2')).toThrow(/expected 0 or 1/);
    expect(() => parseVmcs('io=x')).toThrow(/expected all, none or bitmap:PORT/);
    expect(() => parseVmcs('exceptions=+40')).toThrow(/vectors 0-31/);
    expect(() => parseVmcs('cr3-load-exiting=0')).toThrow(/shadow paging needs/);
    expect(parseVmcs('ept=1,cr3-load-exiting=0').cr3LoadExiting).toBe(false);
  });

  it('encodes the controls with the SDM bit positions', () => {
    const words = controlWords(parseVmcs('rdtsc-exiting=1'));
    expect((words.get(Vmcs.PROC_CONTROLS) ?? 0) & ProcControl.RDTSC_EXITING).toBe(ProcControl.RDTSC_EXITING);
    expect(((words.get(Vmcs.PROC_CONTROLS) ?? 0) & ProcControl.HLT_EXITING) >>> 0).toBe(1 << 7);
    expect(controlWords(WITH_EPT).get(Vmcs.PROC2_CONTROLS)).toBe(Proc2Control.ENABLE_EPT);
    expect(controlWords(FIRST_GENERATION).get(Vmcs.EXCEPTION_BITMAP)).toBe(1 << 14);
    const proc = controlWords(FIRST_GENERATION).get(Vmcs.PROC_CONTROLS) ?? 0;
    expect(proc & (ProcControl.USE_TPR_SHADOW | ProcControl.USE_TSC_OFFSETTING | ProcControl.INTERRUPT_WINDOW_EXITING)).toBe((1 << 21) | (1 << 3)); // the window only while an interrupt is held
    const set = controlWords(parseVmcs('use-tsc-offsetting=0,tsc-offset=-2,cr4-mask=4,tpr-threshold=5'));
    expect((set.get(Vmcs.PROC_CONTROLS) ?? 0) & ProcControl.USE_TSC_OFFSETTING).toBe(0);
    expect([set.get(Vmcs.TSC_OFFSET), set.get(Vmcs.CR4_MASK), set.get(Vmcs.TPR_THRESHOLD)]).toEqual([0xfffffffe, 4, 5]);
  });
});
