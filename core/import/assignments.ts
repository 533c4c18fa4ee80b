/**
 * Curator assignments: school, curator, the order that appointed them (number and date), the
 * dates. Schools must already be in the district; a curator not yet in it is added with the
 * curator role, and each order is created once however many rows cite it.
 */
import type { Row } from '../../db/schema';
import { datesInOrder, personInput } from '../contract/people';
import { personFinder, schoolFinder } from './finders';
import type { KindSpec } from './header';
import { firstIssue, type Labels } from './issues';
import { nameKey } from './normalise';
import { refusedRow, type ImportWrite, type PlannedRow, type SheetRow } from './plan';
import { fioKey, parseDate, parseFio, parseOrder } from './values';

export const assignmentsSpec = {
  fields: [
    { key: 'school', label: 'Школа', synonyms: ['Школа', 'ОО', 'Наименование ОО', 'Образовательная организация', 'Школа (ШНОР)', 'ШНОР', 'Курируемая школа'] },
    { key: 'curator', label: 'Куратор', synonyms: ['Куратор', 'ФИО куратора', 'Куратор (ФИО)', 'Куратор ОО'] },
    { key: 'curator_position', label: 'Должность куратора', synonyms: ['Должность куратора', 'Должность'] },
    { key: 'curator_org', label: 'Место работы куратора', synonyms: ['Место работы куратора', 'Место работы', 'Школа куратора', 'ОО куратора'] },
    { key: 'order', label: 'Приказ', synonyms: ['Приказ', 'Приказ о назначении', 'Реквизиты приказа', 'Основание'] },
    { key: 'order_number', label: 'Номер приказа', synonyms: ['Номер приказа', '№ приказа'] },
    { key: 'order_date', label: 'Дата приказа', synonyms: ['Дата приказа'] },
    { key: 'date_from', label: 'Дата начала', synonyms: ['Дата начала', 'Дата назначения', 'С', 'Начало', 'Закреплён с'] },
    { key: 'date_to', label: 'Дата окончания', synonyms: ['Дата окончания', 'По', 'Окончание', 'Закреплён по'] },
  ],
  requires: [['school'], ['curator']],
} as const satisfies KindSpec;

const LABELS: Labels = Object.fromEntries(assignmentsSpec.fields.map((f) => [f.key, f.label]));

/** The title of an order created by an import: the file gives only its number and date. */
export const IMPORTED_ORDER_TITLE = 'О закреплении кураторов за школами';

export interface AssignmentsContext {
  districtId: string;
  schools: readonly Row<'schools'>[];
  people: readonly Row<'people'>[];
  orders: readonly Row<'orders'>[];
  assignments: readonly Row<'curator_assignments'>[];
}

const orderKey = (number: string, date: string) => `${nameKey(number)}|${date}`;

function orderOf(values: SheetRow['values']): { number: string; date: string } | null | string {
  if (values.order_number) {
    const text = values.order_date ?? (values.order ? /от\s+(\S+)/.exec(values.order)?.[1] : undefined);
    if (!text) return `${LABELS.order_date}: укажите дату приказа № ${values.order_number}`;
    const date = parseDate(text);
    return date.ok ? { number: values.order_number.replace(/^№\s*/, ''), date: date.value } : `${LABELS.order_date}: ${date.message}`;
  }
  if (values.order) {
    const order = parseOrder(values.order);
    return order.ok ? order.value : `${LABELS.order}: ${order.message}`;
  }
  return null;
}

export function planAssignments(rows: readonly SheetRow[], ctx: AssignmentsContext, newId: () => string): PlannedRow[] {
  const findSchool = schoolFinder(ctx.schools);
  const findPerson = personFinder(ctx.people);
  const newPeople = new Map<string, string>();
  const curatorRoleAdded = new Set<string>();
  const orders = new Map(ctx.orders.map((o) => [orderKey(o.number, o.date), o.id]));
  const live = ctx.assignments;
  const seen = new Map<string, number>();

  return rows.map(({ row, values }): PlannedRow => {
    if (!values.school) return refusedRow(row, 'Не указана школа.');
    if (!values.curator) return refusedRow(row, 'Не указан куратор.');
    const school = findSchool(values.school);
    if (!school) return refusedRow(row, `Школа «${values.school}» не найдена в районе: сначала загрузите список школ.`);
    const fio = parseFio(values.curator);
    if (!fio.ok) return refusedRow(row, `${LABELS.curator}: ${fio.message}`);
    const order = orderOf(values);
    if (typeof order === 'string') return refusedRow(row, order);
    const from = values.date_from ? parseDate(values.date_from) : order ? { ok: true as const, value: order.date } : null;
    if (!from) return refusedRow(row, 'Не указана дата начала: нужна дата начала или дата приказа.');
    if (!from.ok) return refusedRow(row, `${LABELS.date_from}: ${from.message}`);
    const to = values.date_to ? parseDate(values.date_to) : null;
    if (to && !to.ok) return refusedRow(row, `${LABELS.date_to}: ${to.message}`);
    const dates = { date_from: from.value, date_to: to?.value ?? null };
    if (!datesInOrder(dates)) return refusedRow(row, 'Дата окончания раньше даты начала.');
    const org = values.curator_org ? findSchool(values.curator_org) : undefined;
    if (values.curator_org && !org) return refusedRow(row, `Место работы куратора «${values.curator_org}» не найдено среди школ района.`);

    const person = findPerson(fio.value);
    // Checked before anything is planned, so a refused repeat leaves no new curator or order behind.
    const pair = `${person?.id ?? fioKey(fio.value)}|${school.id}|${dates.date_from}`;
    const earlier = seen.get(pair);
    if (earlier !== undefined) return refusedRow(row, `То же закрепление, что в строке ${earlier}.`);
    seen.set(pair, row);

    const writes: ImportWrite[] = [];
    const notes: string[] = [];
    const changed: string[] = [];
    let curatorId = person?.id ?? newPeople.get(fioKey(fio.value));
    if (!curatorId) {
      const input = personInput.safeParse({
        ...fio.value,
        position: values.curator_position ?? null,
        organisation_id: org?.id ?? null,
        is_coordinator: false,
        is_curator: true,
        is_school_coordinator: false,
        is_director: false,
      });
      if (!input.success) return refusedRow(row, firstIssue(input.error, LABELS));
      curatorId = newId();
      newPeople.set(fioKey(fio.value), curatorId);
      writes.push({ op: 'insert', table: 'people', values: { ...input.data, id: curatorId, district_id: ctx.districtId } });
      notes.push('новый куратор');
    } else if (person && !person.is_curator && !curatorRoleAdded.has(person.id)) {
      curatorRoleAdded.add(person.id);
      writes.push({ op: 'update', table: 'people', id: person.id, patch: { is_curator: true } });
      changed.push('Роль «куратор»');
    }

    let orderId: string | null = null;
    if (order) {
      const key = orderKey(order.number, order.date);
      orderId = orders.get(key) ?? null;
      if (!orderId) {
        orderId = newId();
        orders.set(key, orderId);
        writes.push({ op: 'insert', table: 'orders', values: { id: orderId, district_id: ctx.districtId, number: order.number, date: order.date, issuer: null, title: IMPORTED_ORDER_TITLE } });
        notes.push(`новый приказ № ${order.number}`);
      }
    }

    const existing = live.find((a) => a.curator_id === curatorId && a.school_id === school.id && (a.date_from === dates.date_from || (orderId !== null && a.order_id === orderId)));
    const wanted = { ...dates, ...(orderId ? { order_id: orderId } : {}) };
    if (!existing) {
      writes.push({ op: 'insert', table: 'curator_assignments', values: { id: newId(), curator_id: curatorId, school_id: school.id, ...dates, order_id: orderId } });
      return { row, status: 'new', writes, ...(notes.length ? { note: notes.join(', ') } : {}) };
    }
    const patch: Partial<typeof wanted> = {};
    if (existing.date_from !== wanted.date_from) {
      patch.date_from = wanted.date_from;
      changed.push(LABELS.date_from!);
    }
    if (values.date_to && existing.date_to !== wanted.date_to) {
      patch.date_to = wanted.date_to;
      changed.push(LABELS.date_to!);
    }
    if (wanted.order_id && existing.order_id !== wanted.order_id) {
      patch.order_id = wanted.order_id;
      changed.push(LABELS.order!);
    }
    if (Object.keys(patch).length) writes.push({ op: 'update', table: 'curator_assignments', id: existing.id, patch });
    const status = changed.length ? 'changed' : 'same';
    return { row, status, ...(changed.length ? { changed } : {}), writes, ...(notes.length ? { note: notes.join(', ') } : {}) };
  });
}
