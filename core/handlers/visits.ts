/**
 * The visit journal (with drafts that survive closing the window), visit schedules with
 * approval, and compliance with the visit-frequency rule. The rule itself lives in
 * core/rules/visits.ts; this file only fetches the dates it needs.
 */
import { sql } from 'kysely';
import { AppError } from '../../db/errors';
import type { Row, SchoolStage } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, restoreRow, softDelete, updateRow } from '../../db/write';
import type { ComplianceList, ComplianceRow, ScheduleListRow, visitsContract, VisitListRow, VisitTopicRow } from '../contract/visits';
import { personShort } from '../format';
import { naturalCompare } from '../rules/naturalOrder';
import { todayOf } from '../localDay';
import { currentAssignmentSql, sqlDate } from '../rules/assignments';
import {
  DEFAULT_THRESHOLDS,
  keepsPlannedDateSql,
  planVisitDates,
  shiftDate,
  STATUS_RANK,
  needsVisit,
  visitCompliance,
  type VisitStatus,
  type VisitThresholds,
} from '../rules/visits';
import type { Handlers } from './types';
import { currentDistrictId } from './app';
import { requireWorkingDay, workingCalendarOf } from '../workingCalendar';
import { checkNotOthersVisit, checkOwnVisit, signedInPerson } from './author';
import { naturally } from '../search';
import { packedNameSql, shortFromPacked } from '../packedName';
import { draftHasContent } from '../rules/visitDraft';

// ---------- compliance: the one query behind the schools list, the start page and reports ----------

/**
 * The latest counting visit of `schools.id` on or before `today`. The literal
 * `is_draft = 0` / `deleted_at IS NULL` let SQLite use the partial index of migration 004.
 */
export const lastVisitOf = (today: string) =>
  sql<string | null>`(SELECT MAX(v.date) FROM visits v WHERE v.school_id = schools.id AND v.deleted_at IS NULL AND v.is_draft = 0 AND v.date <= ${today})`;

/** The school's district thresholds packed as 'forming,due,overdue' (one subquery instead of three). */
export const thresholdsOf = sql<string | null>`(SELECT d.visit_days_forming || ',' || d.visit_days_implementing_due || ',' || d.visit_days_implementing FROM districts d WHERE d.id = schools.district_id)`;

export function unpackThresholds(packed: string | null): VisitThresholds {
  if (!packed) return DEFAULT_THRESHOLDS;
  const [f, d, o] = packed.split(',').map(Number);
  return { visit_days_forming: f!, visit_days_implementing_due: d!, visit_days_implementing: o! };
}

/** For list rows that selected `lastVisitOf(today).as('last_visit')` and `thresholdsOf.as('visit_thresholds')`. */
export function complianceOfRow(row: { last_visit: string | null; visit_thresholds: string | null; stage: SchoolStage }, today: string) {
  return visitCompliance(row.last_visit, row.stage, unpackThresholds(row.visit_thresholds), today);
}

export const COMPLIANCE_SQL = `
SELECT s.id AS school_id, s.short_name AS school_name, s.stage,
  d.visit_days_forming, d.visit_days_implementing_due, d.visit_days_implementing,
  (SELECT MAX(v.date) FROM visits v WHERE v.school_id = s.id AND v.deleted_at IS NULL AND v.is_draft = 0 AND v.date <= @today) AS last_visit,
  (SELECT group_concat(packed, ';') FROM (SELECT ${packedNameSql('p')} AS packed
     FROM curator_assignments a JOIN people p ON p.id = a.curator_id
     WHERE a.school_id = s.id AND p.deleted_at IS NULL AND ${currentAssignmentSql('a', '@today')}
     ORDER BY a.date_from)) AS curators_packed,
  (SELECT MIN(sv.planned_date) FROM visit_schedules vs JOIN scheduled_visits sv ON sv.schedule_id = vs.id
     WHERE vs.school_id = s.id AND vs.deleted_at IS NULL AND sv.deleted_at IS NULL AND sv.planned_date >= @today) AS next_planned
FROM schools s JOIN districts d ON d.id = s.district_id
WHERE s.deleted_at IS NULL AND s.is_participant = 1 AND s.district_id = @district`;

const CURATOR_FILTER = `
  AND EXISTS (SELECT 1 FROM curator_assignments a WHERE a.school_id = s.id AND a.curator_id = @curator
    AND ${currentAssignmentSql('a', '@today')})`;

interface ComplianceSqlRow {
  school_id: string;
  school_name: string;
  stage: SchoolStage;
  visit_days_forming: number;
  visit_days_implementing_due: number;
  visit_days_implementing: number;
  last_visit: string | null;
  /** Every current curator, earliest first (two at once only by choice, see assignments.create). */
  curators_packed: string | null;
  next_planned: string | null;
}


export function compliance(store: Store, q: { today?: string | null; curator_id?: string | null; attention?: boolean }): ComplianceList {
  const today = q.today ?? todayOf(store);
  const text = q.curator_id ? COMPLIANCE_SQL + CURATOR_FILTER : COMPLIANCE_SQL;
  const district = currentDistrictId(store);
  const params = q.curator_id ? { today, district, curator: q.curator_id } : { today, district };
  const raw = store.prepare(text).all(params) as ComplianceSqlRow[];
  const counts: Record<VisitStatus, number> = { ok: 0, due: 0, overdue: 0, never: 0 };
  const rows: ComplianceRow[] = [];
  for (const r of raw) {
    const c = visitCompliance(r.last_visit, r.stage, r, today);
    counts[c.status] += 1;
    if (q.attention && !needsVisit(c.status)) continue;
    rows.push({
      ...c,
      school_id: r.school_id,
      school_name: r.school_name,
      stage: r.stage,
      last_visit: r.last_visit,
      curator_name: r.curators_packed ? r.curators_packed.split(';').map(shortFromPacked).join(', ') : null,
      next_planned: r.next_planned,
    });
  }
  // Most urgent first: overdue by the longest gap, then never visited, then due.
  rows.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || (b.days ?? 0) - (a.days ?? 0) || naturalCompare(a.school_name, b.school_name));
  return { today, rows, counts };
}

// ---------- helpers ----------

const personName = (store: Store, id: string | null): string | null => {
  if (!id) return null;
  const p = getRow(store, 'people', id);
  return p ? personShort(p) : null;
};

function requirePerson(store: Store, id: string, field: string, message: string): Row<'people'> {
  const p = getRow(store, 'people', id);
  if (!p || p.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { [field]: message });
  return p;
}

function requireSchool(store: Store, id: string): Row<'schools'> {
  const s = getRow(store, 'schools', id);
  if (!s || s.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { school_id: 'Школа не найдена: возможно, её удалили' });
  return s;
}

function liveVisit(store: Store, id: string): Row<'visits'> {
  const v = getRow(store, 'visits', id);
  if (!v || v.deleted_at) throw new AppError('not_found', 'Посещение не найдено: возможно, его удалили.');
  return v;
}

type TopicLink = { programme_id: string | null; measure_id: string | null };
type StepIn = { id?: string | undefined; text: string; due_date: string | null; done: boolean };

/** Makes the visit's live topic links exactly `links` (removed ones go to the tombstones). */
function replaceTopics(store: Store, visitId: string, links: readonly TopicLink[]): void {
  const key = (l: TopicLink) => `${l.programme_id ?? ''}|${l.measure_id ?? ''}`;
  const existing = store.all(qb.selectFrom('visit_topics').selectAll().where('visit_id', '=', visitId).where('deleted_at', 'is', null));
  const wanted = new Map(links.map((l) => [key(l), l]));
  for (const e of existing) {
    if (wanted.has(key(e))) wanted.delete(key(e));
    else softDelete(store, 'visit_topics', e.id);
  }
  for (const l of wanted.values()) insertRow(store, 'visit_topics', { visit_id: visitId, programme_id: l.programme_id, measure_id: l.measure_id });
}

function replaceSteps(store: Store, visitId: string, steps: readonly StepIn[]): void {
  const existing = store.all(qb.selectFrom('visit_steps').selectAll().where('visit_id', '=', visitId).where('deleted_at', 'is', null));
  const kept = new Set<string>();
  for (const s of steps) {
    const text = s.text.trim();
    if (!text) continue;
    const mine = s.id ? existing.find((e) => e.id === s.id) : undefined;
    if (mine) {
      updateRow(store, 'visit_steps', mine.id, { text, due_date: s.due_date, done: s.done });
      kept.add(mine.id);
    } else {
      kept.add(insertRow(store, 'visit_steps', { visit_id: visitId, text, due_date: s.due_date, done: s.done }).id);
    }
  }
  for (const e of existing) if (!kept.has(e.id)) softDelete(store, 'visit_steps', e.id);
}

const nullIfBlank = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);

function checkScheduleEditable(schedule: Row<'visit_schedules'> | undefined): Row<'visit_schedules'> {
  if (!schedule || schedule.deleted_at) throw new AppError('not_found', 'График не найден: возможно, его удалили.');
  if (schedule.approved) throw new AppError('approved', 'График утверждён и не редактируется. Чтобы изменить даты, нажмите «Вернуть в работу».');
  return schedule;
}

function scheduleOfDate(store: Store, dateId: string): Row<'visit_schedules'> {
  const d = getRow(store, 'scheduled_visits', dateId);
  if (!d) throw new AppError('not_found', 'Дата графика не найдена.');
  return checkScheduleEditable(getRow(store, 'visit_schedules', d.schedule_id));
}

/** A date given by hand: inside the schedule's period and on a working day of the school's district. */
function checkPlannedDate(store: Store, schedule: Row<'visit_schedules'>, date: string): void {
  if (date < schedule.period_from || date > schedule.period_to) {
    throw new AppError('validation', 'Проверьте выделенные поля', { planned_date: 'Дата вне периода графика' });
  }
  const school = requireSchool(store, schedule.school_id);
  requireWorkingDay(workingCalendarOf(store, school.district_id), date, 'planned_date');
}

const MAX_SCHEDULE_DAYS = 400;

// ---------- handlers ----------

export const visitsHandlers: Handlers<typeof visitsContract> = {
  'visits.list': (q, { store }) => {
    let base = qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .innerJoin('people as p', 'p.id', 'v.curator_id')
      .where('v.deleted_at', 'is', null)
      .where('s.district_id', '=', currentDistrictId(store));
    if (q.school_id) base = base.where('v.school_id', '=', q.school_id);
    if (q.curator_id) base = base.where('v.curator_id', '=', q.curator_id);
    if (q.from) base = base.where('v.date', '>=', q.from);
    if (q.to) base = base.where('v.date', '<=', q.to);
    if (q.drafts === 'exclude') base = base.where('v.is_draft', '=', 0);
    if (q.drafts === 'only') base = base.where('v.is_draft', '=', 1);
    const total = store.first(base.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
    const rows = store.all(
      base
        .select(['v.id', 'v.date', 'v.format', 'v.stage', 'v.is_draft', 'v.school_id', 'v.curator_id', 'v.topics', 'v.updated_at'])
        .select(['s.short_name as school_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
        .select(sql<number>`(SELECT count(*) FROM visit_steps st WHERE st.visit_id = v.id AND st.deleted_at IS NULL AND st.done = 0)`.as('steps_open'))
        .orderBy('v.is_draft', 'desc')
        .orderBy('v.date', 'desc')
        .orderBy('v.id', 'desc')
        .limit(q.limit)
        .offset(q.offset),
    );
    return {
      total,
      rows: rows.map(({ last_name, first_name, middle_name, ...r }): VisitListRow => ({ ...r, curator_name: personShort({ last_name, first_name, middle_name }) })),
    };
  },

  'visits.get': ({ id }, { store }) => {
    const visit = liveVisit(store, id);
    const links = store.all(
      qb
        .selectFrom('visit_topics as t')
        .leftJoin('programmes as pr', 'pr.id', 't.programme_id')
        .leftJoin('measures as m', 'm.id', 't.measure_id')
        .select(['t.id', 't.programme_id', 't.measure_id', 'pr.title as programme_title', 'm.title as measure_title'])
        .where('t.visit_id', '=', id)
        .where('t.deleted_at', 'is', null),
    );
    const topic_links = links.map(
      (l): VisitTopicRow => ({ id: l.id, programme_id: l.programme_id, measure_id: l.measure_id, title: l.measure_title ?? l.programme_title ?? '(удалено)' }),
    );
    const steps = store.all(qb.selectFrom('visit_steps').selectAll().where('visit_id', '=', id).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id'));
    return {
      visit,
      school_name: getRow(store, 'schools', visit.school_id)?.short_name ?? '',
      curator_name: personName(store, visit.curator_id) ?? '',
      topic_links,
      steps,
    };
  },

  'visits.save': (input, { store }) =>
    store.tx(() => {
      requireSchool(store, input.school_id);
      requirePerson(store, input.curator_id, 'curator_id', 'Куратор не найден: возможно, его удалили');
      const existing = input.id ? getRow(store, 'visits', input.id) : undefined;
      checkOwnVisit(store, input.curator_id, existing?.curator_id);
      if (input.date > todayOf(store)) throw new AppError('validation', 'Проверьте выделенные поля', { date: 'Дата посещения ещё не наступила: запланируйте его в графике' });
      const { id, topic_links, steps, ...fields } = input;
      const values = { ...fields, is_draft: false };
      let row: Row<'visits'>;
      if (id && existing) {
        liveVisit(store, id);
        row = updateRow(store, 'visits', id, values);
      } else {
        row = insertRow(store, 'visits', { ...values, ...(id ? { id } : {}) });
      }
      replaceTopics(store, row.id, topic_links);
      replaceSteps(store, row.id, steps);
      return row;
    }),

  'visits.saveDraft': (input, { store }) =>
    store.tx(() => {
      const school = requireSchool(store, input.school_id);
      requirePerson(store, input.curator_id, 'curator_id', 'Куратор не найден: возможно, его удалили');
      const existing = input.id ? getRow(store, 'visits', input.id) : undefined;
      checkOwnVisit(store, input.curator_id, existing?.curator_id);
      // Autosave must never turn a finished entry back into a draft.
      if (existing && !existing.is_draft) throw new AppError('not_draft', 'Это посещение уже сохранено в журнале: изменения сохраняются кнопкой «Сохранить».');
      if (!draftHasContent(input)) {
        // Emptied or never filled: no row in the journal (a draft emptied again leaves it).
        if (existing && !existing.deleted_at) softDelete(store, 'visits', existing.id);
        return null;
      }
      const fields = {
        curator_id: input.curator_id,
        school_id: input.school_id,
        date: input.date ?? todayOf(store),
        format: input.format,
        stage: input.stage ?? school.stage,
        participants: nullIfBlank(input.participants),
        topics: nullIfBlank(input.topics),
        findings: nullIfBlank(input.findings),
        recommendations: nullIfBlank(input.recommendations),
        next_visit_date: input.next_visit_date,
        is_draft: true,
      };
      let row: Row<'visits'>;
      if (existing) {
        if (existing.deleted_at) restoreRow(store, 'visits', existing.id);
        row = updateRow(store, 'visits', existing.id, fields);
      } else {
        row = insertRow(store, 'visits', { ...fields, ...(input.id ? { id: input.id } : {}) });
      }
      replaceTopics(store, row.id, input.topic_links);
      replaceSteps(store, row.id, input.steps);
      return row;
    }),

  'visits.delete': ({ id }, { store }) => {
    checkNotOthersVisit(store, liveVisit(store, id).curator_id);
    softDelete(store, 'visits', id);
    return null;
  },

  'visits.options': (_i, { store }) => {
    const today = todayOf(store);
    const schools = store.all(
      qb
        .selectFrom('schools')
        .select(['id', 'short_name', 'stage'])
        .select(
          sql<string | null>`(SELECT group_concat(a.curator_id) FROM curator_assignments a WHERE a.school_id = schools.id AND ${sql.raw(currentAssignmentSql('a', sqlDate(today)))})`.as(
            'curators',
          ),
        )
        .where('deleted_at', 'is', null)
        .where('is_participant', '=', 1)
        .orderBy(naturally('short_name')),
    );
    const people = (flag: 'is_curator' | 'is_coordinator') =>
      store
        .all(qb.selectFrom('people').select(['id', 'last_name', 'first_name', 'middle_name']).where('deleted_at', 'is', null).where(flag, '=', 1).orderBy('last_name').orderBy('first_name'))
        .map((p) => ({ id: p.id, name: personShort(p) }));
    return {
      schools: schools.map((s) => ({ id: s.id, name: s.short_name, stage: s.stage, curator_ids: s.curators ? s.curators.split(',') : [] })),
      curators: people('is_curator'),
      coordinators: people('is_coordinator'),
    };
  },

  'visits.topicOptions': ({ school_id }, { store }) => {
    const programmes = store.all(
      qb.selectFrom('programmes').select(['id', 'title', 'kind']).where('school_id', '=', school_id).where('deleted_at', 'is', null).orderBy('kind').orderBy('title'),
    );
    const measures = programmes.length
      ? store.all(
          qb
            .selectFrom('measures')
            .select(['id', 'title', 'programme_id', 'date_text'])
            .where(
              'programme_id',
              'in',
              programmes.map((p) => p.id),
            )
            .where('deleted_at', 'is', null)
            .orderBy('programme_id')
            .orderBy('position'),
        )
      : [];
    return { programmes, measures };
  },

  'visits.compliance': (q, { store }) => compliance(store, q),

  // ---------- schedules ----------

  'visitSchedules.list': (q, { store }) => {
    let base = qb
      .selectFrom('visit_schedules as vs')
      .innerJoin('schools as s', 's.id', 'vs.school_id')
      .innerJoin('people as p', 'p.id', 'vs.curator_id')
      .leftJoin('people as ap', 'ap.id', 'vs.approved_by')
      .where('vs.deleted_at', 'is', null);
    if (q.curator_id) base = base.where('vs.curator_id', '=', q.curator_id);
    if (q.school_id) base = base.where('vs.school_id', '=', q.school_id);
    const rows = store.all(
      base
        .select(['vs.id', 'vs.curator_id', 'vs.school_id', 'vs.period_from', 'vs.period_to', 'vs.stage', 'vs.approved', 'vs.approved_at'])
        .select(['s.short_name as school_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
        .select(['ap.last_name as a_last', 'ap.first_name as a_first', 'ap.middle_name as a_middle'])
        .select(sql<number>`(SELECT count(*) FROM scheduled_visits sv WHERE sv.schedule_id = vs.id AND sv.deleted_at IS NULL)`.as('planned'))
        .orderBy('vs.period_from', 'desc')
        .orderBy(naturally('s.short_name')),
    );
    return rows.map(
      ({ last_name, first_name, middle_name, a_last, a_first, a_middle, ...r }): ScheduleListRow => ({
        ...r,
        curator_name: personShort({ last_name, first_name, middle_name }),
        approved_by_name: a_last ? personShort({ last_name: a_last, first_name: a_first ?? '', middle_name: a_middle }) : null,
      }),
    );
  },

  'visitSchedules.get': ({ id }, { store }) => {
    const schedule = getRow(store, 'visit_schedules', id);
    if (!schedule || schedule.deleted_at) throw new AppError('not_found', 'График не найден: возможно, его удалили.');
    const dates = store.all(
      qb
        .selectFrom('scheduled_visits as sv')
        .selectAll('sv')
        .select(
          sql<string | null>`(SELECT MIN(v.date) FROM visits v WHERE v.school_id = ${schedule.school_id} AND v.deleted_at IS NULL AND v.is_draft = 0
            AND ${sql.raw(keepsPlannedDateSql('v.date', 'sv.planned_date'))})`.as('visited'),
        )
        .where('sv.schedule_id', '=', id)
        .where('sv.deleted_at', 'is', null)
        .orderBy('sv.planned_date'),
    );
    return {
      schedule,
      curator_name: personName(store, schedule.curator_id) ?? '',
      school_name: getRow(store, 'schools', schedule.school_id)?.short_name ?? '',
      approved_by_name: personName(store, schedule.approved_by),
      dates,
    };
  },

  'visitSchedules.generate': (input, { store }) =>
    store.tx(() => {
      const school = requireSchool(store, input.school_id);
      requirePerson(store, input.curator_id, 'curator_id', 'Куратор не найден: возможно, его удалили');
      if (shiftDate(input.period_from, MAX_SCHEDULE_DAYS) < input.period_to) {
        throw new AppError('validation', 'Проверьте выделенные поля', { period_to: 'График — не длиннее года: разбейте период на части' });
      }
      const district = getRow(store, 'districts', school.district_id);
      const dates = planVisitDates(input.period_from, input.period_to, school.stage, district ?? DEFAULT_THRESHOLDS, workingCalendarOf(store, school.district_id));
      if (dates.length === 0) throw new AppError('validation', 'Проверьте выделенные поля', { period_to: 'В периоде нет ни одного рабочего дня' });
      const schedule = insertRow(store, 'visit_schedules', { ...input, stage: school.stage, approved: false, approved_by: null, approved_at: null });
      for (const d of dates) insertRow(store, 'scheduled_visits', { schedule_id: schedule.id, planned_date: d, note: null });
      return schedule;
    }),

  'visitSchedules.addDate': (input, { store }) =>
    store.tx(() => {
      const schedule = checkScheduleEditable(getRow(store, 'visit_schedules', input.schedule_id));
      checkPlannedDate(store, schedule, input.planned_date);
      return insertRow(store, 'scheduled_visits', input);
    }),

  'visitSchedules.moveDate': ({ id, planned_date, note }, { store }) =>
    store.tx(() => {
      checkPlannedDate(store, scheduleOfDate(store, id), planned_date);
      return updateRow(store, 'scheduled_visits', id, { planned_date, note });
    }),

  'visitSchedules.removeDate': ({ id }, { store }) => {
    scheduleOfDate(store, id);
    softDelete(store, 'scheduled_visits', id);
    return null;
  },

  'visitSchedules.restoreDate': ({ id }, { store }) => {
    scheduleOfDate(store, id);
    restoreRow(store, 'scheduled_visits', id);
    return null;
  },

  'visitSchedules.approve': ({ id }, { store }) =>
    store.tx(() => {
      checkScheduleEditable(getRow(store, 'visit_schedules', id));
      return updateRow(store, 'visit_schedules', id, { approved: true, approved_by: signedInPerson(store), approved_at: new Date().toISOString() });
    }),

  'visitSchedules.reopen': ({ id }, { store }) => {
    const s = getRow(store, 'visit_schedules', id);
    if (!s || s.deleted_at) throw new AppError('not_found', 'График не найден: возможно, его удалили.');
    return updateRow(store, 'visit_schedules', id, { approved: false, approved_by: null, approved_at: null });
  },

  'visitSchedules.delete': ({ id }, { store }) => {
    checkScheduleEditable(getRow(store, 'visit_schedules', id));
    softDelete(store, 'visit_schedules', id);
    return null;
  },

  'visitSchedules.restore': ({ id }, { store }) => {
    restoreRow(store, 'visit_schedules', id);
    return null;
  },
};
