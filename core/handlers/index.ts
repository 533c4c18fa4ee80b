import type { Contract } from '../contract';
import { appHandlers } from './app';
import { backupHandlers } from './backup.node';
import { eventsHandlers } from './fieldEvents';
import { muniHandlers } from './muni';
import { peopleHandlers } from './people';
import { programmesHandlers } from './programmes.node';
import { reportsHandlers } from './reports';
import { schoolsHandlers } from './schools';
import { syncHandlers } from './sync.node';
import type { Handlers } from './types';
import { visitsHandlers } from './visits';

export const handlers: Handlers<Contract> = {
  ...appHandlers,
  ...schoolsHandlers,
  ...peopleHandlers,
  ...visitsHandlers,
  ...eventsHandlers,
  ...programmesHandlers,
  ...muniHandlers,
  ...syncHandlers,
  ...reportsHandlers,
  ...backupHandlers,
};
