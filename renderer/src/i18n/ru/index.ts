import { auth } from './auth';
import { backups } from './backups';
import { calendar } from './calendar';
import { common } from './common';
import { imports } from './imports';
import { muni } from './muni';
import { people } from './people';
import { programmes } from './programmes';
import { reports } from './reports';
import { roadmapImports } from './roadmapImports';
import { schools } from './schools';
import { setup } from './setup';
import { sync } from './sync';
import { syncStatus } from './syncStatus';
import { undo } from './undo';
import { visits } from './visits';

/** All interface strings. Another language would be a sibling folder with the same shape. */
export const ru = { common, schools, people, visits, programmes, muni, reports, sync, syncStatus, setup, backups, auth, calendar, imports, roadmapImports, undo };
export const t = ru;
