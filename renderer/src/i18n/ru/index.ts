import { common } from './common';
import { people } from './people';
import { schools } from './schools';
import { visits } from './visits';

/** All interface strings. Another language would be a sibling folder with the same shape. */
export const ru = { common, schools, people, visits };
export const t = ru;
