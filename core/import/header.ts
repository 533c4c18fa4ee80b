/**
 * Which column is which, guessed from the header's words. Lists come with their headers in
 * any order, with extra columns and with title rows above the header, so the header row is
 * the first of the top rows that names the most known columns (the required ones among them).
 */
import { headerKey } from './normalise';

export interface FieldSpec {
  key: string;
  /** The column's name in the preview and the template. */
  label: string;
  /** Headers people write for this column (any case, quotes, ё/е). */
  synonyms: readonly string[];
}

export interface KindSpec {
  fields: readonly FieldSpec[];
  /** Each group: at least one of its fields must be a column («ФИО» or «Фамилия»). */
  requires: readonly (readonly string[])[];
}

/** Per column of the sheet, the field it fills (null: ignored). */
export type Mapping = (string | null)[];

/** Title rows above a header are a handful; a header further down is not one people would make. */
const HEADER_SCAN_ROWS = 30;

/** How well a header names a field: the whole header (best), else the longest synonym found in it as words. */
function score(header: string, synonym: string): number {
  if (!header || !synonym) return 0;
  if (header === synonym) return 1000;
  return ` ${header} `.includes(` ${synonym} `) ? synonym.length : 0;
}

/** Each column to the field its header names best; a field goes to one column only. */
export function guessMapping(header: readonly string[], spec: KindSpec): Mapping {
  const keys = header.map(headerKey);
  const pairs: { col: number; field: string; score: number }[] = [];
  keys.forEach((h, col) => {
    for (const f of spec.fields) {
      const best = Math.max(0, ...f.synonyms.map((s) => score(h, headerKey(s))));
      if (best > 0) pairs.push({ col, field: f.key, score: best });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col);
  const mapping: Mapping = header.map(() => null);
  const taken = new Set<string>();
  for (const p of pairs) {
    if (mapping[p.col] !== null || taken.has(p.field)) continue;
    mapping[p.col] = p.field;
    taken.add(p.field);
  }
  return mapping;
}

/** The required groups the mapping leaves without a column, as the fields' labels. */
export function missingFields(mapping: Mapping, spec: KindSpec): string[] {
  const mapped = new Set(mapping.filter((m): m is string => m !== null));
  return spec.requires
    .filter((group) => !group.some((k) => mapped.has(k)))
    .map((group) => group.map((k) => `«${spec.fields.find((f) => f.key === k)?.label ?? k}»`).join(' или '));
}

/** The header row (index into rows) and its mapping, or null when no top row names the required columns. */
export function findHeader(rows: readonly (readonly string[])[], spec: KindSpec): { headerRow: number; mapping: Mapping } | null {
  let best: { headerRow: number; mapping: Mapping; named: number } | null = null;
  for (const [headerRow, row] of rows.slice(0, HEADER_SCAN_ROWS).entries()) {
    const mapping = guessMapping(row, spec);
    if (missingFields(mapping, spec).length > 0) continue;
    const named = mapping.filter((m) => m !== null).length;
    if (!best || named > best.named) best = { headerRow, mapping, named };
  }
  return best && { headerRow: best.headerRow, mapping: best.mapping };
}
