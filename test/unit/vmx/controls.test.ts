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
  });

  it('says in one line what is wrong and what is valid', () => {
    expect(() => parseVmcs('foo=1')).toThrow(/unknown key 'foo' \(valid: ept, .*rdtsc-exiting.*io, exceptions\)/);
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
  });
});
