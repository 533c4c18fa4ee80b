import type { reportsContract } from '../contract/reports';
import type { Handlers } from './types';

export const reportsHandlers: Handlers<typeof reportsContract> = {};
