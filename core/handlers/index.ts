import type { Contract } from '../contract';
import type { AuthCall } from '../contract/auth';
import { appHandlers } from './app';
import { backupHandlers } from './backup.node';
import { calendarHandlers } from './calendar';
import { eventsHandlers } from './fieldEvents';
import { importsHandlers } from './imports';
import { importFileHandlers } from './imports.node';
import { muniHandlers } from './muni';
import { peopleHandlers } from './people';
import { programmesHandlers } from './programmes.node';
import { reportsHandlers } from './reports';
import { roadmapImportsHandlers } from './roadmapImports.node';
import { schoolsHandlers } from './schools';
import { syncHandlers } from './sync.node';
import type { Handlers } from './types';
import { undoHandlers } from './undo';
import { visitsHandlers } from './visits';

/** Every call but the auth calls, which core/accounts answers (they work while the laptop is locked). */
export const handlers: Handlers<Omit<Contract, AuthCall>> = {
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
  ...roadmapImportsHandlers,
  ...importsHandlers,
  ...importFileHandlers,
  ...undoHandlers,
  ...calendarHandlers,
};
