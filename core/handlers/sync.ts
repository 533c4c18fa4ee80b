import type { syncContract } from '../contract/sync';
import type { Handlers } from './types';

export const syncHandlers: Handlers<typeof syncContract> = {};
