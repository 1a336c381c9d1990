export const TRIPLE_FAULT = { reason: 'triple-fault', exitCode: 0 };
