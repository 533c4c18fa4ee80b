/**
 * What an import will do, row by row, before anything is written: each data row becomes a
 * preview row (new, same, changed with the fields, refused with the reason) and the writes
 * that carry it out. Pure: the district's rows come in as arguments, new ids from `newId`,
 * so the preview and the commit run the very same plan.
 */
import type { NewValues, Patch } from '../../db/write';
import type { PreviewRow, RowStatus } from '../contract/imports';
import type { Mapping } from './header';
import { headerKey } from './normalise';

export type ImportedTable = 'schools' | 'people' | 'orders' | 'curator_assignments';

export type ImportWrite = {
  [T in ImportedTable]: { op: 'insert'; table: T; values: NewValues<T> & { id: string } } | { op: 'update'; table: T; id: string; patch: Patch<T> };
}[ImportedTable];

export interface PlannedRow extends PreviewRow {
  writes: ImportWrite[];
}

/** A data row: its sheet row number and the non-empty values of its mapped columns. */
export interface SheetRow {
  row: number;
  values: Partial<Record<string, string>>;
}

/** The rows under the header with their mapped values; empty rows and repeats of the header (a printed list's page breaks) are left out. */
export function dataRows(rows: readonly (readonly string[])[], headerRow: number, mapping: Mapping): SheetRow[] {
  const header = rows[headerRow] ?? [];
  // A repeated header is the same text again (cells are already cleaned); the key is only worked out for rows that start like it.
  const headerKeys = header.map(headerKey).join('\u0000');
  const repeatsHeader = (cells: readonly string[]) => cells[0] === header[0] && cells.length === header.length && cells.map(headerKey).join('\u0000') === headerKeys;
  const out: SheetRow[] = [];
  for (let i = headerRow + 1; i < rows.length; i++) {
    const cells = rows[i]!;
    if (repeatsHeader(cells)) continue;
    const values: Partial<Record<string, string>> = {};
    mapping.forEach((field, col) => {
      const v = cells[col]?.trim();
      if (field && v) values[field] = v;
    });
    if (Object.keys(values).length > 0) out.push({ row: i + 1, values });
  }
  return out;
}

export const refusedRow = (row: number, note: string): PlannedRow => ({ row, status: 'refused', note, writes: [] });

export function countsOf(rows: readonly PreviewRow[]): Record<RowStatus, number> {
  const counts: Record<RowStatus, number> = { new: 0, same: 0, changed: 0, refused: 0 };
  for (const r of rows) counts[r.status] += 1;
  return counts;
}

/** The fields of `wanted` that differ from `current` (by `same`), as a patch and their labels. */
export function diffFields<W extends object>(
  current: object,
  wanted: W,
  labels: Readonly<Record<string, string>>,
  same: (a: unknown, b: unknown) => boolean,
): { patch: Partial<W>; changed: string[] } {
  const patch: Partial<W> = {};
  const changed: string[] = [];
  const now = current as Record<string, unknown>;
  for (const [k, v] of Object.entries(wanted) as [keyof W & string, W[keyof W & string]][]) {
    if (v === undefined || same(now[k], v)) continue;
    patch[k] = v;
    changed.push(labels[k] ?? k);
  }
  return { patch, changed };
}
