/** Events with attendance, the project calendar and the start page summary. */
import { sql } from 'kysely';
import { AppError } from '../../db/errors';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import type { AgendaItem, eventsContract, StartSummary, WeekPlanRow } from '../contract/fieldEvents';
import { personShort } from '../format';
import { todayOf } from '../localDay';
import { agendaOrder, CALENDAR_HORIZON, deadlineState, stageState } from '../rules/calendar';
import { keepsPlannedDateSql, shiftDate, weekOf } from '../rules/visits';
import { currentDistrictId } from './app';
import { compliance } from './visits';
import type { Handlers } from './types';
import { naturally } from '../search';

type Attendance = { school_id: string | null; person_id: string | null; attended: boolean };

/** Makes the event's live attendance exactly `list`, keeping rows that did not change. */
function replaceAttendance(store: Store, eventId: string, list: readonly Attendance[]): void {
  const key = (a: { school_id: string | null; person_id: string | null }) => `${a.school_id ?? ''}|${a.person_id ?? ''}`;
  const existing = store.all(qb.selectFrom('event_attendance').selectAll().where('event_id', '=', eventId).where('deleted_at', 'is', null));
  const byKey = new Map(existing.map((e) => [key(e), e]));
  const seen = new Set<string>();
  for (const a of list) {
    const k = key(a);
    if (seen.has(k)) continue;
    seen.add(k);
    const row = byKey.get(k);
    if (row) updateRow(store, 'event_attendance', row.id, { attended: a.attended });
    else insertRow(store, 'event_attendance', { event_id: eventId, ...a });
  }
  for (const e of existing) if (!seen.has(key(e))) softDelete(store, 'event_attendance', e.id);
}

/** Late and upcoming deadlines: calendar stages, open next steps agreed at visits, planned visits not yet made. */
function deadlines(store: Store, today: string, curatorId: string | null): AgendaItem[] {
  const horizonEnd = shiftDate(today, CALENDAR_HORIZON);
  const lookBack = shiftDate(today, -CALENDAR_HORIZON);
  const items: AgendaItem[] = [];

  const stages = store.all(
    qb.selectFrom('calendar_stages').selectAll().where('deleted_at', 'is', null).where('deadline', '>=', lookBack).where('deadline', '<=', horizonEnd).orderBy('deadline'),
  );
  for (const s of stages) {
    const state = stageState(s, today);
    if (state.status === 'late' || state.status === 'due') items.push({ kind: 'stage', id: s.id, title: s.title, context: null, link: null, deadline: s.deadline, state });
  }

  let steps = qb
    .selectFrom('visit_steps as st')
    .innerJoin('visits as v', 'v.id', 'st.visit_id')
    .innerJoin('schools as s', 's.id', 'v.school_id')
    .select(['st.id', 'st.text', 'st.due_date', 'v.id as visit_id', 's.short_name'])
    .where('st.deleted_at', 'is', null)
    .where('v.deleted_at', 'is', null)
    .where('v.is_draft', '=', 0)
    .where('st.done', '=', 0)
    .where('st.due_date', 'is not', null)
    .where('st.due_date', '<=', horizonEnd)
    .orderBy('st.due_date')
    .limit(200);
  if (curatorId) steps = steps.where('v.curator_id', '=', curatorId);
  for (const s of store.all(steps)) {
    items.push({ kind: 'step', id: s.id, title: s.text, context: s.short_name, link: `/visits/${s.visit_id}`, deadline: s.due_date!, state: deadlineState({ deadline: s.due_date! }, today) });
  }

  // A planned date in the last 30 days that no journal entry kept (rules/visits: keepsPlannedDate) was missed.
  let missed = qb
    .selectFrom('scheduled_visits as sv')
    .innerJoin('visit_schedules as vs', 'vs.id', 'sv.schedule_id')
    .innerJoin('schools as s', 's.id', 'vs.school_id')
    .select(['sv.id', 'sv.planned_date', 'vs.id as schedule_id', 's.short_name'])
    .where('sv.deleted_at', 'is', null)
    .where('vs.deleted_at', 'is', null)
    .where('sv.planned_date', '<', today)
    .where('sv.planned_date', '>=', lookBack)
    .where(
      sql<boolean>`NOT EXISTS (SELECT 1 FROM visits v WHERE v.school_id = vs.school_id AND v.deleted_at IS NULL AND v.is_draft = 0
        AND ${sql.raw(keepsPlannedDateSql('v.date', 'sv.planned_date'))})`,
    )
    .orderBy('sv.planned_date')
    .limit(200);
  if (curatorId) missed = missed.where('vs.curator_id', '=', curatorId);
  for (const m of store.all(missed)) {
    items.push({
      kind: 'planned',
      id: m.id,
      title: 'Плановое посещение не отмечено в журнале',
      context: m.short_name,
      link: `/visits/schedules/${m.schedule_id}`,
      deadline: m.planned_date,
      state: deadlineState({ deadline: m.planned_date }, today),
    });
  }
  return agendaOrder(items);
}

function weekPlan(store: Store, week: { from: string; to: string }, curatorId: string | null): WeekPlanRow[] {
  let q = qb
    .selectFrom('scheduled_visits as sv')
    .innerJoin('visit_schedules as vs', 'vs.id', 'sv.schedule_id')
    .innerJoin('schools as s', 's.id', 'vs.school_id')
    .innerJoin('people as p', 'p.id', 'vs.curator_id')
    .select(['sv.id', 'sv.schedule_id', 'sv.planned_date', 'vs.school_id', 's.short_name as school_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
    .select(
      sql<string | null>`(SELECT MAX(v.date) FROM visits v WHERE v.school_id = vs.school_id AND v.deleted_at IS NULL AND v.is_draft = 0 AND v.date BETWEEN ${week.from} AND ${week.to})`.as(
        'visited',
      ),
    )
    .where('sv.deleted_at', 'is', null)
    .where('vs.deleted_at', 'is', null)
    .where('sv.planned_date', '>=', week.from)
    .where('sv.planned_date', '<=', week.to)
    .orderBy('sv.planned_date')
    .orderBy(naturally('s.short_name'));
  if (curatorId) q = q.where('vs.curator_id', '=', curatorId);
  return store.all(q).map(({ last_name, first_name, middle_name, ...r }) => ({ ...r, curator_name: personShort({ last_name, first_name, middle_name }) }));
}

export const eventsHandlers: Handlers<typeof eventsContract> = {
  'events.list': (q, { store }) => {
    let base = qb.selectFrom('events as e').where('e.deleted_at', 'is', null);
    if (q.from) base = base.where('e.date', '>=', q.from);
    if (q.to) base = base.where('e.date', '<=', q.to);
    if (q.kind) base = base.where('e.kind', '=', q.kind);
    return store.all(
      base
        .selectAll('e')
        .select(sql<number>`(SELECT count(DISTINCT a.school_id) FROM event_attendance a WHERE a.event_id = e.id AND a.deleted_at IS NULL AND a.attended = 1)`.as('schools'))
        // A school marked present without a named person counts as one participant (its delegation).
        .select(sql<number>`(SELECT count(DISTINCT coalesce(a.person_id, a.school_id)) FROM event_attendance a WHERE a.event_id = e.id AND a.deleted_at IS NULL AND a.attended = 1)`.as('people'))
        .orderBy('e.date', 'desc')
        .limit(1000),
    );
  },

  'events.get': ({ id }, { store }) => {
    const event = getRow(store, 'events', id);
    if (!event || event.deleted_at) throw new AppError('not_found', 'Мероприятие не найдено: возможно, его удалили.');
    const rows = store.all(
      qb
        .selectFrom('event_attendance as a')
        .leftJoin('schools as s', 's.id', 'a.school_id')
        .leftJoin('people as p', 'p.id', 'a.person_id')
        .selectAll('a')
        .select(['s.short_name as school_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
        .where('a.event_id', '=', id)
        .where('a.deleted_at', 'is', null)
        .orderBy(naturally('s.short_name'))
        .orderBy('p.last_name'),
    );
    return {
      event,
      attendance: rows.map(({ last_name, first_name, middle_name, ...r }) => ({
        ...r,
        person_name: last_name ? personShort({ last_name, first_name: first_name ?? '', middle_name }) : null,
      })),
    };
  },

  'events.save': ({ id, attendance, ...fields }, { store }) =>
    store.tx(() => {
      const existing = id ? getRow(store, 'events', id) : undefined;
      if (existing?.deleted_at) throw new AppError('not_found', 'Мероприятие удалено: восстановите его из корзины.');
      const row = existing ? updateRow(store, 'events', existing.id, fields) : insertRow(store, 'events', { ...fields, district_id: currentDistrictId(store), ...(id ? { id } : {}) });
      replaceAttendance(store, row.id, attendance);
      return row;
    }),

  'events.delete': ({ id }, { store }) => {
    softDelete(store, 'events', id);
    return null;
  },

  'calendar.list': ({ year, today }, { store }) => {
    const now = today ?? todayOf(store);
    return store
      .all(qb.selectFrom('calendar_stages').selectAll().where('deleted_at', 'is', null).where('year', '=', year).orderBy('deadline'))
      .map((s) => ({ ...s, state: stageState(s, now) }));
  },

  'start.summary': (q, { store }) => {
    const today = q.today ?? todayOf(store);
    const curatorId = q.curator_id ?? null;
    const week = weekOf(today);
    const c = compliance(store, { today, curator_id: curatorId, attention: true });
    const participants = c.counts.ok + c.counts.due + c.counts.overdue + c.counts.never;
    const district = currentDistrictId(store);
    const inDistrict = qb.selectFrom('schools').select('id').where('district_id', '=', district);
    let drafts = qb.selectFrom('visits').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).where('is_draft', '=', 1).where('school_id', 'in', inDistrict);
    if (curatorId) drafts = drafts.where('curator_id', '=', curatorId);
    let month = qb
      .selectFrom('visits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted_at', 'is', null)
      .where('is_draft', '=', 0)
      .where('school_id', 'in', inDistrict)
      .where('date', '>=', `${today.slice(0, 7)}-01`)
      .where('date', '<=', today);
    if (curatorId) month = month.where('curator_id', '=', curatorId);
    const events = store.all(
      qb.selectFrom('events').selectAll().where('deleted_at', 'is', null).where('district_id', '=', district).where('date', '>=', today).where('date', '<=', shiftDate(today, CALENDAR_HORIZON)).orderBy('date').limit(10),
    );
    const summary: StartSummary = {
      today,
      week,
      counts: { ...c.counts, participants, drafts: store.first(drafts)?.n ?? 0, visitsThisMonth: store.first(month)?.n ?? 0 },
      attention: c.rows,
      weekPlan: weekPlan(store, week, curatorId),
      deadlines: deadlines(store, today, curatorId),
      events,
    };
    return summary;
  },
};
