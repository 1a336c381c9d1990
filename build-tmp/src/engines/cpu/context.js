/** Why the core stopped: its budget ran out, the next instruction is not plain, a fault, or a watched store asked to stop. */
export const Status = { BUDGET: 0, SYSTEM: 1, FAULT: 2, STOP: 3 };
export const Access = { READ: 0, WRITE: 1, FETCH: 2 };
export const newFault = () => ({ vector: 0, errorCode: 0, address: 0, access: 0, pc: 0, software: false });
/**
 * The TLB entry format (tlb.ts): frame | rights. A hit needs every right the access asks:
 * P always, U for a user access, KW for a supervisor write, UW for a user write.
 */
export const Right = { P: 1 << 0, KW: 1 << 1, U: 1 << 2, UW: 1 << 3 };
/** The rights an access needs (tlb.ts). */
export function rightsNeeded(access, user) {
    if (access === Access.WRITE)
        return user ? Right.P | Right.U | Right.UW : Right.P | Right.KW;
    return user ? Right.P | Right.U : Right.P;
}
