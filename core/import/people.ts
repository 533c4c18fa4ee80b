/**
 * A list of people: coordinators, curators, school coordinators, directors, with their
 * position and place of work. A person is matched by ФИО (ё/е, case, spaces folded); roles in
 * the file are added to a person's roles and never taken away. A director whose school has no
 * director yet becomes that school's director.
 */
import type { Row } from '../../db/schema';
import { personInput, type PersonInput } from '../contract/people';
import { schoolFinder, personFinder } from './finders';
import type { KindSpec } from './header';
import { firstIssue, type Labels } from './issues';
import { nameKey, sameText } from './normalise';
import { diffFields, refusedRow, type ImportWrite, type PlannedRow, type SheetRow } from './plan';
import { fioKey, parseFio, type Fio } from './values';

export const peopleSpec = {
  fields: [
    { key: 'fio', label: 'ФИО', synonyms: ['ФИО', 'Фамилия, имя, отчество', 'Фамилия имя отчество', 'Ф.И.О.', 'Сотрудник'] },
    { key: 'last_name', label: 'Фамилия', synonyms: ['Фамилия'] },
    { key: 'first_name', label: 'Имя', synonyms: ['Имя'] },
    { key: 'middle_name', label: 'Отчество', synonyms: ['Отчество'] },
    { key: 'position', label: 'Должность', synonyms: ['Должность', 'Занимаемая должность'] },
    { key: 'organisation', label: 'Место работы', synonyms: ['Место работы', 'Организация', 'ОО', 'Школа', 'Наименование ОО', 'Образовательная организация'] },
    { key: 'phone', label: 'Телефон', synonyms: ['Телефон', 'Контактный телефон', 'Тел', 'Мобильный телефон'] },
    { key: 'email', label: 'E-mail', synonyms: ['E-mail', 'Email', 'Электронная почта', 'Эл почта', 'Адрес электронной почты', 'Почта'] },
    { key: 'role', label: 'Роль', synonyms: ['Роль', 'Роль в проекте', 'Статус в проекте', 'Функция'] },
  ],
  requires: [['fio', 'last_name']],
} as const satisfies KindSpec;

const LABELS: Labels = {
  ...Object.fromEntries(peopleSpec.fields.map((f) => [f.key, f.label])),
  organisation_id: 'Место работы',
  is_coordinator: 'Роль «координатор»',
  is_curator: 'Роль «куратор»',
  is_school_coordinator: 'Роль «школьный координатор»',
  is_director: 'Роль «директор»',
};

type RoleFlags = Pick<PersonInput, 'is_coordinator' | 'is_curator' | 'is_school_coordinator' | 'is_director'>;

/** «куратор», «Куратор; директор», «школьный координатор», «муниципальный координатор». */
export function parseRoles(s: string): RoleFlags | string {
  const flags: RoleFlags = { is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: false };
  for (const part of nameKey(s).split(/[,;/]+|\sи\s/).map((p) => p.trim()).filter(Boolean)) {
    if (part.includes('куратор')) flags.is_curator = true;
    else if (part.includes('координатор')) flags[part.includes('школ') ? 'is_school_coordinator' : 'is_coordinator'] = true;
    else if (part.includes('директор') || part.includes('руководитель')) flags.is_director = true;
    else return `Роль: «${s}» — ожидалось «куратор», «координатор», «школьный координатор» или «директор»`;
  }
  return flags;
}

export interface PeopleContext {
  districtId: string;
  schools: readonly Row<'schools'>[];
  people: readonly Row<'people'>[];
}

function fioOf(values: SheetRow['values']): Fio | string {
  if (values.fio) {
    const fio = parseFio(values.fio);
    return fio.ok ? fio.value : `ФИО: ${fio.message}`;
  }
  if (!values.first_name) return 'Не указано имя.';
  return { last_name: values.last_name!, first_name: values.first_name, middle_name: values.middle_name ?? null };
}

export function planPeople(rows: readonly SheetRow[], ctx: PeopleContext, newId: () => string): PlannedRow[] {
  const findSchool = schoolFinder(ctx.schools);
  const findPerson = personFinder(ctx.people);
  const seen = new Map<string, number>();
  const directorSet = new Set<string>();

  return rows.map(({ row, values }): PlannedRow => {
    if (!values.fio && !values.last_name) return refusedRow(row, 'Не указаны фамилия и имя.');
    const fio = fioOf(values);
    if (typeof fio === 'string') return refusedRow(row, fio);
    const key = fioKey(fio);
    const earlier = seen.get(key);
    if (earlier !== undefined) return refusedRow(row, `Тот же человек, что в строке ${earlier}.`);
    seen.set(key, row);
    const roles = values.role ? parseRoles(values.role) : undefined;
    if (typeof roles === 'string') return refusedRow(row, roles);
    const school = values.organisation ? findSchool(values.organisation) : undefined;
    if (values.organisation && !school) return refusedRow(row, `Место работы «${values.organisation}» не найдено среди школ района: сначала загрузите список школ или снимите сопоставление столбца.`);

    const wanted = {
      ...fio,
      ...(values.position ? { position: values.position } : {}),
      ...(school ? { organisation_id: school.id } : {}),
      ...(values.phone ? { phone: values.phone } : {}),
      ...(values.email ? { email: values.email } : {}),
    };
    const existing = findPerson(fio);
    const writes: ImportWrite[] = [];
    let personId: string;
    let status: PlannedRow['status'];
    let changed: string[] | undefined;
    if (!existing) {
      const input = personInput.safeParse({ is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: false, ...wanted, ...roles });
      if (!input.success) return refusedRow(row, firstIssue(input.error, LABELS));
      personId = newId();
      writes.push({ op: 'insert', table: 'people', values: { ...input.data, id: personId, district_id: ctx.districtId } });
      status = 'new';
    } else {
      const { last_name: _l, first_name: _f, middle_name: _m, ...rest } = wanted;
      // Roles are only added: a list of curators does not take the director's role from anyone.
      const added = Object.fromEntries(Object.entries(roles ?? {}).filter(([k, on]) => on && !existing[k as keyof RoleFlags]));
      const patch = personInput.partial().safeParse({ ...rest, ...added });
      if (!patch.success) return refusedRow(row, firstIssue(patch.error, LABELS));
      const diff = diffFields(existing, patch.data, LABELS, (a, b) => (typeof b === 'string' ? sameText(a as string | null, b) : a === b));
      personId = existing.id;
      if (diff.changed.length) writes.push({ op: 'update', table: 'people', id: existing.id, patch: diff.patch });
      status = diff.changed.length ? 'changed' : 'same';
      changed = diff.changed;
    }
    if (roles?.is_director && school && !school.director_id && !directorSet.has(school.id)) {
      directorSet.add(school.id);
      writes.push({ op: 'update', table: 'schools', id: school.id, patch: { director_id: personId } });
      if (status === 'new') return { row, status, note: `директор школы «${school.short_name}»`, writes };
      status = 'changed';
      changed = [...(changed ?? []), 'Директор школы'];
    }
    return { row, status, ...(status === 'changed' ? { changed } : {}), writes };
  });
}
