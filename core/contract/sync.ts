/** Calls of the sync area: state, enrolment, HTTP sync, package files, conflicts. */
import { call } from './define';
import { z } from './common';
import type { SyncState } from '../sync/client';

export type { SyncState } from '../sync/client';

export interface SyncRunResult {
  applied: number;
  deferred: number;
  state: SyncState;
}

export interface ExportedPackage {
  fileName: string;
  /** Where the file was written, in the data folder. */
  path: string;
  size: number;
  /** The bytes, for a download in browser mode. */
  base64: string;
  changes: number;
}

export interface ConflictView {
  id: string;
  table: string;
  rowId: string;
  rowTitle: string;
  column: string;
  current: string | number | null;
  lost: string | number | null;
  /** When the losing value was written (from its clock), ISO. */
  lostAt: string | null;
  currentAt: string | null;
}

const serverUrl = z
  .string({ message: 'Укажите адрес сервера' })
  .trim()
  .min(1, { message: 'Укажите адрес сервера' })
  .max(500)
  .refine((s) => /^https?:\/\/[^\s/]+/.test(s), { message: 'Адрес должен начинаться с http:// или https://' });

const enrolCode = z.string({ message: 'Введите код подключения' }).trim().min(4, { message: 'Введите код подключения' }).max(40, { message: 'Слишком длинный код' });

export interface EnrolRequestFile {
  fileName: string;
  path: string;
  size: number;
  base64: string;
}

export const syncContract = {
  'sync.status': call<SyncState>()(z.strictObject({})),
  'sync.enrol': call<SyncState>()(
    z.strictObject({
      serverUrl,
      code: enrolCode,
      name: z.string().trim().max(200).optional(),
    }),
  ),
  /** Enrolment without being online: the request file the region imports on the server. */
  'sync.enrolRequest': call<EnrolRequestFile>()(z.strictObject({ code: enrolCode, name: z.string().trim().max(200).optional() })),
  /** The region's reply to the request: enrols the laptop and brings the district. */
  'sync.enrolImport': call<SyncRunResult>()(
    z.strictObject({ fileName: z.string().max(300).optional(), base64: z.string({ message: 'Выберите файл ответа' }).min(1, { message: 'Выберите файл ответа' }) }),
  ),
  'sync.now': call<SyncRunResult>()(z.strictObject({ confirmMassDelete: z.boolean().optional() })),
  'sync.export': call<ExportedPackage>()(z.strictObject({ confirmMassDelete: z.boolean().optional() })),
  'sync.import': call<SyncRunResult>()(
    z.strictObject({
      fileName: z.string().max(300).optional(),
      base64: z.string({ message: 'Выберите файл пакета' }).min(1, { message: 'Выберите файл пакета' }),
      confirmMassDelete: z.boolean().optional(),
    }),
  ),
  'conflicts.list': call<ConflictView[]>()(z.strictObject({})),
  'conflicts.resolve': call<null>()(z.strictObject({ id: z.string().uuid(), pick: z.enum(['current', 'lost']) })),
};
