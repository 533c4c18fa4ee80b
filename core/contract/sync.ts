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

/** An item of Синхронизация → Конфликты: two edits of one field, or an edit that met a deletion. */
export type ConflictView = FieldConflictView | DeletionConflictView;

export interface FieldConflictView {
  kind: 'field';
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

/** core/sync/deletionConflicts.ts: a row added or edited inside a row deleted at the same time, or a deletion a concurrent edit undid. */
export interface DeletionConflictView {
  kind: 'added_to_deleted' | 'deletion_undone';
  id: string;
  table: string;
  rowId: string;
  rowTitle: string;
  /** added_to_deleted: the deleted row it is inside. */
  parent: { table: string; id: string; title: string } | null;
  /** When the deletion was made, ISO. */
  deletedAt: string;
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
  /** A field conflict: keep the current value or take the lost one. An edit that met a deletion: restore (the deleted parent, or keep the row) or delete (the row too, or again). */
  'conflicts.resolve': call<null>()(z.strictObject({ id: z.string().uuid(), pick: z.enum(['current', 'lost', 'restore', 'delete']) })),
};
