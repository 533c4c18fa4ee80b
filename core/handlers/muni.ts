import type { muniContract } from '../contract/muni';
import type { Handlers } from './types';

export const muniHandlers: Handlers<typeof muniContract> = {};
