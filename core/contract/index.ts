/**
 * The whole contract: every call the renderer can make. Each area declares its calls
 * in its own file; this merges them. Handlers (core/handlers) implement exactly these.
 */
import { appContract } from './app';
import { authContract } from './auth';
import { backupContract } from './backup';
import { calendarContract } from './calendar';
import { eventsContract } from './fieldEvents';
import { importsContract } from './imports';
import { muniContract } from './muni';
import { peopleContract } from './people';
import { programmesContract } from './programmes';
import { reportsContract } from './reports';
import { roadmapImportsContract } from './roadmapImports';
import { schoolsContract } from './schools';
import { syncContract } from './sync';
import { undoContract } from './undo';
import { visitsContract } from './visits';
import type { CallInput, CallOutput } from './define';

export const contract = {
  ...appContract,
  ...authContract,
  ...schoolsContract,
  ...peopleContract,
  ...visitsContract,
  ...eventsContract,
  ...programmesContract,
  ...muniContract,
  ...syncContract,
  ...reportsContract,
  ...backupContract,
  ...roadmapImportsContract,
  ...importsContract,
  ...undoContract,
  ...calendarContract,
};

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type InputOf<N extends CallName> = CallInput<Contract[N]>;
export type OutputOf<N extends CallName> = CallOutput<Contract[N]>;

export type { Result, ErrorData } from './define';
export type { AppEvent } from './events';
