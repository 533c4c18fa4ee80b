/**
 * A list of schools (seeds 000–002: the region's lists of ШНОР and of the curators' schools).
 * A school is matched by its normalised name within the district — the laptop's district is
 * the municipality, so a row naming another municipality is refused, not matched.
 */
import type { Row } from '../../db/schema';
import { schoolInput, type SchoolInput } from '../contract/schools';
import { schoolFinder } from './finders';
import type { KindSpec } from './header';
import { nameKey, sameText } from './normalise';
import { diffFields, refusedRow, type PlannedRow, type SheetRow } from './plan';
import { firstIssue, type Labels } from './issues';
import { municipalityMatcher, parseYear, parseYesNo, schoolKindOf, shortNameOf } from './values';

export const schoolsSpec = {
  fields: [
    { key: 'full_name', label: 'Наименование ОО', synonyms: ['Наименование ОО', 'Полное наименование', 'Полное наименование ОО', 'Наименование', 'Наименование образовательной организации', 'Образовательная организация', 'ОО', 'Школа', 'Название школы', 'Название'] },
    { key: 'short_name', label: 'Краткое наименование', synonyms: ['Краткое наименование', 'Сокращённое наименование', 'Краткое название', 'Сокращенное название'] },
    { key: 'municipality', label: 'Муниципалитет', synonyms: ['Муниципалитет', 'Муниципальное образование', 'МО', 'АТЕ', 'Район', 'Муниципальный район', 'Городской округ', 'Муниципальный район (городской округ)'] },
    { key: 'kind', label: 'Тип ОО', synonyms: ['Тип', 'Тип ОО', 'Вид ОО', 'Вид'] },
    { key: 'is_participant', label: 'Участник проекта', synonyms: ['Участник проекта', 'Участник', 'ШНОР', 'Участник 500+', 'Школа-участник'] },
    { key: 'cohort_year', label: 'Год включения в проект', synonyms: ['Год включения в проект', 'Год включения', 'Год участия', 'Год входа в проект', 'Когорта', 'Год'] },
    { key: 'risk_group', label: 'Группа риска', synonyms: ['Группа риска', 'Группа'] },
    { key: 'address', label: 'Адрес', synonyms: ['Адрес', 'Юридический адрес', 'Фактический адрес'] },
    { key: 'site_url', label: 'Сайт', synonyms: ['Сайт', 'Сайт ОО', 'Страница 500+', 'Ссылка на сайт', 'Адрес сайта'] },
  ],
  requires: [['full_name']],
} as const satisfies KindSpec;

const LABELS: Labels = Object.fromEntries(schoolsSpec.fields.map((f) => [f.key, f.label]));

type Wanted = Partial<SchoolInput> & { full_name: string };

export interface SchoolsContext {
  districtId: string;
  districtName: string;
  schools: readonly Row<'schools'>[];
}

/** The typed values of a row, or the reason it cannot be read. */
function wantedOf(values: SheetRow['values']): Wanted | string {
  const w: Wanted = { full_name: values.full_name! };
  if (values.short_name) w.short_name = values.short_name;
  if (values.kind) w.kind = schoolKindOf(values.kind);
  if (values.risk_group) w.risk_group = values.risk_group;
  if (values.address) w.address = values.address;
  if (values.site_url) w.site_url = values.site_url;
  if (values.is_participant) {
    const p = parseYesNo(values.is_participant);
    if (!p.ok) return `${LABELS.is_participant}: ${p.message}`;
    w.is_participant = p.value;
  }
  if (values.cohort_year) {
    const y = parseYear(values.cohort_year);
    if (!y.ok) return `${LABELS.cohort_year}: ${y.message}`;
    w.cohort_year = y.value;
  }
  return w;
}

const sameValue = (a: unknown, b: unknown) => (typeof b === 'string' ? sameText(a as string | null, b) : a === (typeof b === 'boolean' ? Number(b) : b));

export function planSchools(rows: readonly SheetRow[], ctx: SchoolsContext, newId: () => string): PlannedRow[] {
  const findSchool = schoolFinder(ctx.schools);
  const seen = new Map<string, number>();
  const inDistrict = municipalityMatcher(ctx.districtName);

  return rows.map(({ row, values }): PlannedRow => {
    if (!values.full_name) return refusedRow(row, 'Не указано наименование школы.');
    if (values.municipality && !inDistrict(values.municipality)) {
      return refusedRow(row, `Школа другого муниципалитета («${values.municipality}»), а эта база — «${ctx.districtName}».`);
    }
    const key = nameKey(values.full_name);
    const earlier = seen.get(key);
    if (earlier !== undefined) return refusedRow(row, `Та же школа, что в строке ${earlier}.`);
    seen.set(key, row);
    const wanted = wantedOf(values);
    if (typeof wanted === 'string') return refusedRow(row, wanted);

    const existing = findSchool(values.full_name) ?? (values.short_name ? findSchool(values.short_name) : undefined);
    if (!existing) {
      const input = schoolInput.safeParse({
        short_name: shortNameOf(wanted.full_name),
        kind: schoolKindOf(wanted.full_name),
        is_participant: true,
        stage: 'forming',
        ...wanted,
      });
      if (!input.success) return refusedRow(row, firstIssue(input.error, LABELS));
      return { row, status: 'new', writes: [{ op: 'insert', table: 'schools', values: { ...input.data, id: newId(), district_id: ctx.districtId } }] };
    }
    const patch = schoolInput.partial().safeParse(wanted);
    if (!patch.success) return refusedRow(row, firstIssue(patch.error, LABELS));
    // The matched name itself is not a change: the file may spell it with other quotes or ё.
    const { full_name: _name, ...rest } = patch.data;
    const diff = diffFields(existing, rest, LABELS, sameValue);
    if (diff.changed.length === 0) return { row, status: 'same', writes: [] };
    return { row, status: 'changed', changed: diff.changed, writes: [{ op: 'update', table: 'schools', id: existing.id, patch: diff.patch }] };
  });
}
