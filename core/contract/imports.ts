/**
 * Imports from the files a district already has. A file is read into a table of text cells
 * (`imports.read`); a list of schools, people or curator assignments is then previewed row by
 * row against the district (`imports.preview`) and written only when the user confirms
 * (`imports.commit*`: one call, one transaction, so one undo takes the whole import back).
 */
import { call } from './define';
import { text, z } from './common';

export const importKinds = ['schools', 'people', 'assignments'] as const;
export type ImportKind = (typeof importKinds)[number];

/** A sheet as read: every cell as text, rows as in the file (row i is the sheet's row i + 1). */
export interface ImportTable {
  fileName: string;
  sheets: string[];
  sheet: string;
  rows: string[][];
}

/** Bigger than any district's lists or roadmaps (a 5,000-row list is well under 1 MB); checked before a file is read. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;

export const tooBigMessage = (fileName: string, size: number): string =>
  `Файл «${fileName}» — ${mb(size)}; импорт принимает файлы до ${mb(MAX_IMPORT_BYTES)}. Сохраните в отдельный файл только нужный лист или таблицу.`;

/** A file as the renderer read it. */
export const importFile = z.strictObject({
  fileName: text(300),
  base64: z.string({ message: 'Файл не прочитан' }).min(1, { message: 'Файл пустой' }),
});

const cell = z.string().max(10_000, { message: 'Ячейка длиннее 10 000 символов' });

/** The table to judge, with the user's mapping when they changed the guessed one. */
export const importRequest = z.strictObject({
  kind: z.enum(importKinds),
  rows: z.array(z.array(cell).max(100)).max(20_000, { message: 'Больше 20 000 строк' }),
  /** Index of the header row; guessed when absent. */
  headerRow: z.number().int().min(0).nullish(),
  /** Per column the field it fills (null: ignored); guessed from the header when absent. */
  mapping: z.array(z.string().max(50).nullable()).max(100).nullish(),
});
export type ImportRequest = z.input<typeof importRequest>;

export type RowStatus = 'new' | 'same' | 'changed' | 'refused';

export interface PreviewRow {
  /** The row's number in the sheet, as Excel shows it. */
  row: number;
  status: RowStatus;
  /** For «changed»: the labels of the fields that will change. */
  changed?: string[];
  /** For «refused»: why, in Russian; for the others, what else happens (a new curator, an order). */
  note?: string;
}

export interface ImportPreview {
  kind: ImportKind;
  fields: { key: string; label: string }[];
  headerRow: number;
  mapping: (string | null)[];
  rows: PreviewRow[];
  counts: Record<RowStatus, number>;
}

export interface ImportResult {
  counts: Record<RowStatus, number>;
  /** Rows written (inserted or updated), dependants such as new curators and orders included. */
  written: number;
}

export const importsContract = {
  'imports.read': call<ImportTable>()(importFile.extend({ sheet: z.string().max(200).nullish() })),
  'imports.preview': call<ImportPreview>()(importRequest),
  'imports.commitSchools': call<ImportResult>()(importRequest.extend({ kind: z.literal('schools') })),
  'imports.commitPeople': call<ImportResult>()(importRequest.extend({ kind: z.literal('people') })),
  'imports.commitAssignments': call<ImportResult>()(importRequest.extend({ kind: z.literal('assignments') })),
  /** The template XLSX with the expected columns, as base64 for a download. */
  'imports.template': call<{ fileName: string; base64: string }>()(z.strictObject({ kind: z.enum(importKinds) })),
};
