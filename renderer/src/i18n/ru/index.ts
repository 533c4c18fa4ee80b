import { common } from './common';

/** All interface strings. Another language would be a sibling folder with the same shape. */
export const ru = { common };
export const t = ru;
