export const hex = (n) => `0x${(n >>> 0).toString(16)}`;
