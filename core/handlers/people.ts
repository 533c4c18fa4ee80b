import { sql } from 'kysely';
import { AppError } from '../../db/errors';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import { END_BEFORE_START, type AssignmentOverlap, type OrderInput, type OverlapChoice, type peopleContract } from '../contract/people';
import { formatDate, personShort } from '../format';
import { todayOf } from '../localDay';
import { canEndOn, currentAssignmentSql, overlappingAssignments, sqlDate } from '../rules/assignments';
import { containsPattern, foldedLike } from '../search';
import { currentDistrictId } from './app';
import { requireReferences } from './references';
import type { Handlers } from './types';

const roleColumn = {
  coordinator: 'is_coordinator',
  curator: 'is_curator',
  school_coordinator: 'is_school_coordinator',
  director: 'is_director',
} as const;

/**
 * The order an assignment cites: a new one typed into the assignment dialog is created here,
 * first, so that the assignment can reference it; if the assignment is then refused, the
 * call's transaction (core/callTransaction.ts) takes the order back with it.
 */
function orderFor(store: Store, orderId: string | null | undefined, newOrder: OrderInput | undefined): string | null | undefined {
  if (newOrder) return insertRow(store, 'orders', { ...newOrder, district_id: currentDistrictId(store) }).id;
  if (orderId) requireLive(getRow(store, 'orders', orderId), 'Приказ');
  return orderId;
}

/** An assignment's curator (a live person with the curator role) and school, on create and update alike. */
function requireAssignmentReferences(store: Store, fields: { curator_id?: string; school_id?: string }): void {
  requireReferences(store, [
    ['curator_id', 'people', fields.curator_id],
    ['school_id', 'schools', fields.school_id],
  ]);
  if (fields.curator_id && !getRow(store, 'people', fields.curator_id)!.is_curator) {
    throw new AppError('validation', 'Проверьте выделенные поля', { curator_id: 'У этого человека нет роли «куратор»' });
  }
}

type NewSpan = { school_id: string; curator_id: string; date_from: string; date_to: string | null };

function overlapsOf(store: Store, span: NewSpan): AssignmentOverlap[] {
  const rows = store.all(
    qb
      .selectFrom('curator_assignments as a')
      .innerJoin('people as p', 'p.id', 'a.curator_id')
      .select(['a.id', 'a.curator_id', 'a.date_from', 'a.date_to', 'a.deleted_at', 'p.last_name', 'p.first_name', 'p.middle_name'])
      .where('a.school_id', '=', span.school_id)
      .where('a.deleted_at', 'is', null),
  );
  return overlappingAssignments(span, rows).map((r) => ({
    id: r.id,
    curator_name: personShort(r),
    date_from: r.date_from,
    date_to: r.date_to,
    can_end: canEndOn(r, span.date_from),
  }));
}

/**
 * Two curators of one school at once only by choice: an overlap is refused until the user
 * picks «end the earlier one on the new one's start date» or «keep both».
 */
function settleOverlaps(store: Store, span: NewSpan, choice: OverlapChoice | undefined): void {
  const overlaps = overlapsOf(store, span);
  if (!overlaps.length || choice === 'keep_both') return;
  const first = overlaps[0]!;
  if (!choice) {
    throw new AppError('assignment_overlap', `Школа уже закреплена за куратором ${first.curator_name} с ${formatDate(first.date_from)}${first.date_to ? ` по ${formatDate(first.date_to)}` : ' без даты окончания'}: завершите прежнее закрепление или оставьте обоих кураторов.`);
  }
  const later = overlaps.find((o) => !o.can_end);
  if (later) {
    throw new AppError('validation', 'Проверьте выделенные поля', {
      date_from: `Закрепление куратора ${later.curator_name} начинается ${formatDate(later.date_from)}, не раньше нового: его нельзя завершить в день начала нового`,
    });
  }
  for (const o of overlaps) updateRow(store, 'curator_assignments', o.id, { date_to: span.date_from });
}

function requireLive<T extends { deleted_at: string | null }>(row: T | undefined, what: string): T {
  if (!row || row.deleted_at) throw new AppError('not_found', `${what} не найден(а) или удалён(а).`);
  return row;
}

export const peopleHandlers: Handlers<typeof peopleContract> = {
  'people.list': (q, { store }) => {
    let base = qb
      .selectFrom('people')
      .leftJoin('schools as org', 'org.id', 'people.organisation_id')
      .where('people.deleted_at', 'is', null)
      .where('people.district_id', '=', currentDistrictId(store));
    if (q.search.trim()) {
      const p = containsPattern(q.search);
      base = base.where((eb) =>
        eb.or([foldedLike('people.last_name', p), foldedLike('people.first_name', p), foldedLike('people.position', p), foldedLike('org.short_name', p)]),
      );
    }
    if (q.role !== 'all') base = base.where(`people.${roleColumn[q.role]}`, '=', 1);
    const total = store.first(base.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
    const today = todayOf(store);
    const rows = store.all(
      base
        .select([
          'people.id',
          'people.last_name',
          'people.first_name',
          'people.middle_name',
          'people.position',
          'org.short_name as organisation_name',
          'people.is_coordinator',
          'people.is_curator',
          'people.is_school_coordinator',
          'people.is_director',
        ])
        .select(
          sql<number>`(SELECT count(*) FROM curator_assignments a WHERE a.curator_id = people.id AND ${sql.raw(currentAssignmentSql('a', sqlDate(today)))})`.as('school_count'),
        )
        .orderBy('people.last_name')
        .orderBy('people.first_name')
        .orderBy('people.id')
        .limit(q.limit)
        .offset(q.offset),
    );
    return { rows, total };
  },

  'people.get': ({ id }, { store }) => {
    const person = getRow(store, 'people', id);
    if (!person) throw new AppError('not_found', 'Человек не найден.');
    const organisation = person.organisation_id ? (getRow(store, 'schools', person.organisation_id) ?? null) : null;
    const assignments = store
      .all(qb.selectFrom('curator_assignments').selectAll().where('curator_id', '=', id).where('deleted_at', 'is', null).orderBy('date_from', 'desc'))
      .flatMap((assignment) => {
        const school = getRow(store, 'schools', assignment.school_id);
        if (!school || school.deleted_at) return [];
        const order = assignment.order_id ? (getRow(store, 'orders', assignment.order_id) ?? null) : null;
        return [{ assignment, school, order }];
      });
    const directs = store.all(qb.selectFrom('schools').selectAll().where('director_id', '=', id).where('deleted_at', 'is', null));
    return { person, organisation, assignments, directs };
  },

  'people.create': (input, { store }) => {
    requireReferences(store, [['organisation_id', 'schools', input.organisation_id]]);
    return insertRow(store, 'people', { ...input, district_id: currentDistrictId(store) });
  },

  'people.update': ({ id, patch }, { store }) => {
    requireReferences(store, [['organisation_id', 'schools', patch.organisation_id]]);
    return updateRow(store, 'people', id, patch);
  },

  'people.delete': ({ id }, { store }) => {
    softDelete(store, 'people', id);
    return null;
  },

  'assignments.overlaps': (span, { store }) => overlapsOf(store, span),

  'assignments.create': ({ new_order, overlap, ...input }, { store }) =>
    store.tx(() => {
      const order_id = orderFor(store, input.order_id, new_order) ?? null;
      requireAssignmentReferences(store, input);
      settleOverlaps(store, input, overlap);
      return insertRow(store, 'curator_assignments', { ...input, order_id });
    }),

  'assignments.update': ({ id, patch: fields, new_order }, { store }) => {
    const order_id = orderFor(store, fields.order_id, new_order);
    const patch = order_id === undefined ? fields : { ...fields, order_id };
    const current = requireLive(getRow(store, 'curator_assignments', id), 'Закрепление');
    requireAssignmentReferences(store, patch);
    const from = patch.date_from ?? current.date_from;
    const to = patch.date_to === undefined ? current.date_to : patch.date_to;
    if (to && to < from) throw new AppError('validation', 'Проверьте выделенные поля', { date_to: END_BEFORE_START });
    return updateRow(store, 'curator_assignments', id, patch);
  },

  'assignments.delete': ({ id }, { store }) => {
    softDelete(store, 'curator_assignments', id);
    return null;
  },

  'orders.list': (_i, { store }) => store.all(qb.selectFrom('orders').selectAll().where('deleted_at', 'is', null).orderBy('date', 'desc')),

  'orders.create': (input, { store }) => insertRow(store, 'orders', { ...input, district_id: currentDistrictId(store) }),
};
