export const DEFAULT_MAX_INSNS = 50_000_000;
export const DEFAULT_DISK_BYTES = 64 * 512;
