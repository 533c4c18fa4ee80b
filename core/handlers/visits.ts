import type { visitsContract } from '../contract/visits';
import type { Handlers } from './types';

export const visitsHandlers: Handlers<typeof visitsContract> = {};
