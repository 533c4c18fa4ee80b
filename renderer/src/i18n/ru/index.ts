import { common } from './common';
import { people } from './people';
import { schools } from './schools';

/** All interface strings. Another language would be a sibling folder with the same shape. */
export const ru = { common, schools, people };
export const t = ru;
