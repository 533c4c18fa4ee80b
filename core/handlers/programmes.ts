import type { programmesContract } from '../contract/programmes';
import type { Handlers } from './types';

export const programmesHandlers: Handlers<typeof programmesContract> = {};
