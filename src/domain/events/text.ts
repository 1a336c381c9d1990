export const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
