/** One entry for every kind of list: the header found (or the user's mapping checked), the rows planned. */
import { AppError } from '../../db/errors';
import type { ImportKind, ImportPreview, ImportRequest } from '../contract/imports';
import { assignmentsSpec, planAssignments, type AssignmentsContext } from './assignments';
import { findHeader, missingFields, type KindSpec, type Mapping } from './header';
import { peopleSpec, planPeople } from './people';
import { countsOf, dataRows, type PlannedRow } from './plan';
import { planSchools, schoolsSpec } from './schools';

export const IMPORT_SPECS: Record<ImportKind, KindSpec> = { schools: schoolsSpec, people: peopleSpec, assignments: assignmentsSpec };

/** Everything any kind needs of the district (each planner reads its part). */
export type DistrictRows = AssignmentsContext & { districtName: string };

const WHAT: Record<ImportKind, string> = { schools: 'список школ', people: 'список людей', assignments: 'список закреплений кураторов' };

function headerOf(req: ImportRequest, spec: KindSpec): { headerRow: number; mapping: Mapping } {
  if (req.mapping) {
    const missing = missingFields(req.mapping, spec);
    if (missing.length) throw new AppError('import_mapping', `Укажите, в каком столбце ${missing.join(', ')}.`);
    return { headerRow: req.headerRow ?? 0, mapping: req.mapping };
  }
  const found = findHeader(req.rows, spec);
  if (!found) {
    const required = spec.requires.map((g) => g.map((k) => `«${spec.fields.find((f) => f.key === k)?.label}»`).join(' или ')).join(', ');
    throw new AppError(
      'import_no_header',
      `В таблице не найдена строка заголовков: в первых строках листа нет столбцов ${required}. Проверьте, что выбран нужный лист, или скачайте шаблон.`,
    );
  }
  return found;
}

export function planImport(req: ImportRequest, district: DistrictRows, newId: () => string): { preview: ImportPreview; planned: PlannedRow[] } {
  const spec = IMPORT_SPECS[req.kind];
  const { headerRow, mapping } = headerOf(req, spec);
  const rows = dataRows(req.rows, headerRow, mapping);
  if (rows.length === 0) throw new AppError('import_no_rows', `Под заголовком нет ни одной заполненной строки — это не ${WHAT[req.kind]}.`);
  const planned =
    req.kind === 'schools' ? planSchools(rows, district, newId) : req.kind === 'people' ? planPeople(rows, district, newId) : planAssignments(rows, district, newId);
  return {
    planned,
    preview: {
      kind: req.kind,
      fields: spec.fields.map(({ key, label }) => ({ key, label })),
      headerRow,
      mapping,
      rows: planned.map(({ writes: _w, ...r }) => r),
      counts: countsOf(planned),
    },
  };
}
