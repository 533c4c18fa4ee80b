/**
 * District monitoring: curator engagement per stage, visit compliance over a period,
 * overdue measures, evidence waiting for a verdict, and the series the dashboard charts
 * draw. Every figure carries the rows behind it so a click on a chart can list them.
 */
import { format, parseISO, endOfMonth, eachMonthOfInterval } from 'date-fns';
import { qb, type Store } from '../../db/store';
import { personShort, shownPercent } from '../format';
import { bandOf, bandOfPercent, BAND_LABELS, scoreEngagement, type Band, type EngagementScore } from '../rules/engagement';
import { dueAt } from '../rules/due';
import { planBand } from '../rules/expertise';
import { readMeasureDue } from './dateCheck';
import { daysBetween, DEFAULT_THRESHOLDS, stageLimits, type VisitThresholds } from '../rules/visits';

const name = (p: { last_name: string; first_name: string; middle_name: string | null }) => personShort(p);

function curatorsOf(store: Store, districtId: string) {
  const rows = store.all(
    qb
      .selectFrom('curator_assignments as a')
      .innerJoin('people as p', 'p.id', 'a.curator_id')
      .innerJoin('schools as s', 's.id', 'a.school_id')
      .select(['p.id as curator_id', 'p.last_name', 'p.first_name', 'p.middle_name', 's.id as school_id', 's.short_name', 's.stage', 'a.date_from', 'a.date_to'])
      .where('a.deleted_at', 'is', null)
      .where('p.deleted_at', 'is', null)
      .where('s.deleted_at', 'is', null)
      .where('s.district_id', '=', districtId)
      .orderBy('p.last_name'),
  );
  const out = new Map<string, { id: string; name: string; schools: { id: string; name: string; stage: 'forming' | 'implementing'; from: string; to: string | null }[] }>();
  for (const r of rows) {
    let c = out.get(r.curator_id);
    if (!c) out.set(r.curator_id, (c = { id: r.curator_id, name: name(r), schools: [] }));
    c.schools.push({ id: r.school_id, name: r.short_name, stage: r.stage, from: r.date_from, to: r.date_to });
  }
  return [...out.values()];
}

export function thresholdsOf(store: Store, districtId: string): VisitThresholds {
  return store.first(qb.selectFrom('districts').select(['visit_days_forming', 'visit_days_implementing_due', 'visit_days_implementing']).where('id', '=', districtId)) ?? DEFAULT_THRESHOLDS;
}

// ---------------------------------------------------------------- visits

export interface VisitComplianceRow {
  curatorId: string;
  curatorName: string;
  schoolId: string;
  schoolName: string;
  visits: number;
  /** Visits the stage rule asks for in the period: one per «overdue» threshold. */
  required: number;
  /** The longest stretch without a visit in the period, in days (from the last earlier visit or the period start). */
  longestGap: number;
  allowedGap: number;
  compliant: boolean;
  dates: string[];
}

export function visitCompliance(store: Store, districtId: string, from: string, to: string): VisitComplianceRow[] {
  const t = thresholdsOf(store, districtId);
  const visits = store.all(
    qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .select(['v.curator_id', 'v.school_id', 'v.date'])
      .where('v.deleted_at', 'is', null)
      .where('v.is_draft', '=', 0)
      .where('s.district_id', '=', districtId)
      .where('v.date', '<=', to)
      .orderBy('v.date'),
  );
  const out: VisitComplianceRow[] = [];
  for (const c of curatorsOf(store, districtId)) {
    for (const s of c.schools) {
      const mine = visits.filter((v) => v.curator_id === c.id && v.school_id === s.id);
      const inPeriod = mine.filter((v) => v.date >= from).map((v) => v.date);
      const before = mine.filter((v) => v.date < from).at(-1)?.date ?? null;
      const { overdue } = stageLimits(s.stage, t);
      let prev = before ?? from;
      let longest = 0;
      for (const d of inPeriod) {
        longest = Math.max(longest, daysBetween(prev, d));
        prev = d;
      }
      longest = Math.max(longest, daysBetween(prev, to));
      const days = daysBetween(from, to) + 1;
      const required = Math.max(1, Math.floor(days / overdue));
      out.push({
        curatorId: c.id,
        curatorName: c.name,
        schoolId: s.id,
        schoolName: s.name,
        visits: inPeriod.length,
        required,
        longestGap: longest,
        allowedGap: overdue,
        compliant: inPeriod.length >= required && longest <= overdue,
        dates: inPeriod,
      });
    }
  }
  return out;
}

export interface VisitMonthCell {
  curatorId: string;
  curatorName: string;
  month: string;
  count: number;
  visits: { id: string; date: string; schoolName: string; format: string; topics: string | null }[];
}

export function visitsPerCuratorMonth(store: Store, districtId: string, from: string, to: string): { months: string[]; cells: VisitMonthCell[] } {
  const rows = store.all(
    qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .innerJoin('people as p', 'p.id', 'v.curator_id')
      .select(['v.id', 'v.curator_id', 'v.date', 'v.format', 'v.topics', 's.short_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
      .where('v.deleted_at', 'is', null)
      .where('v.is_draft', '=', 0)
      .where('s.district_id', '=', districtId)
      .where('v.date', '>=', from)
      .where('v.date', '<=', to)
      .orderBy('v.date'),
  );
  const months = monthsBetween(from, to);
  const cells = new Map<string, VisitMonthCell>();
  for (const r of rows) {
    const month = r.date.slice(0, 7);
    const key = `${r.curator_id}|${month}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { curatorId: r.curator_id, curatorName: name(r), month, count: 0, visits: [] }));
    c.count += 1;
    c.visits.push({ id: r.id, date: r.date, schoolName: r.short_name, format: r.format, topics: r.topics });
  }
  return { months, cells: [...cells.values()] };
}

export function monthsBetween(from: string, to: string): string[] {
  if (to < from) return [];
  return eachMonthOfInterval({ start: parseISO(from), end: parseISO(to) }).map((d) => format(d, 'yyyy-MM'));
}

// ---------------------------------------------------------------- measures and evidence

export interface OverdueMeasure {
  id: string;
  title: string;
  dueDate: string;
  daysOverdue: number;
  status: string;
  programmeId: string;
  programmeTitle: string;
  schoolId: string;
  schoolName: string;
}

/**
 * Planned measures not done whose term, read by the due rule, ended before today (cancelled and
 * unplanned ones are not owed): «IV квартал 2022» is overdue from 01.01.2023, a phrase without a
 * period only after the programme's end.
 */
export function overdueMeasures(store: Store, districtId: string, today: string): OverdueMeasure[] {
  const rows = store.all(
    qb
      .selectFrom('measures as m')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['m.id', 'm.title', 'm.date_text', 'm.date_from', 'm.date_to', 'm.status', 'p.id as programme_id', 'p.title as programme_title', 'p.period_to', 's.id as school_id', 's.short_name'])
      .where('m.deleted_at', 'is', null)
      .where('p.deleted_at', 'is', null)
      .where('s.deleted_at', 'is', null)
      .where('s.district_id', '=', districtId)
      .where('m.unplanned', '=', 0)
      .where('m.status', 'in', ['planned', 'not_done', 'postponed']),
  );
  return rows
    .flatMap((r) => {
      const verdict = dueAt(readMeasureDue(r), today, r.period_to);
      return verdict.due && verdict.by < today ? [{ r, by: verdict.by }] : [];
    })
    .map(({ r, by }) => {
      return {
        id: r.id,
        title: r.title,
        dueDate: by,
        daysOverdue: daysBetween(by, today),
        status: r.status,
        programmeId: r.programme_id,
        programmeTitle: r.programme_title,
        schoolId: r.school_id,
        schoolName: r.short_name,
      };
    })
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}

export interface PendingEvidence {
  id: string;
  title: string;
  kind: string;
  uploadedAt: string;
  daysWaiting: number;
  measureTitle: string;
  schoolName: string;
  curatorName: string | null;
}

export function pendingEvidence(store: Store, districtId: string, today: string): PendingEvidence[] {
  const rows = store.all(
    qb
      .selectFrom('evidence as e')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['e.id', 'e.title', 'e.kind', 'e.uploaded_at', 'm.title as measure_title', 's.id as school_id', 's.short_name'])
      .where('e.deleted_at', 'is', null)
      .where('m.deleted_at', 'is', null)
      .where('e.verdict', '=', 'pending')
      .where('s.district_id', '=', districtId)
      .orderBy('e.uploaded_at'),
  );
  const curatorBySchool = new Map<string, string>();
  for (const c of curatorsOf(store, districtId)) for (const s of c.schools) if (!curatorBySchool.has(s.id)) curatorBySchool.set(s.id, c.name);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    uploadedAt: r.uploaded_at,
    daysWaiting: Math.max(0, daysBetween(r.uploaded_at.slice(0, 10), today)),
    measureTitle: r.measure_title,
    schoolName: r.short_name,
    curatorName: curatorBySchool.get(r.school_id) ?? null,
  }));
}

// ---------------------------------------------------------------- plan completion over time

export interface CompletionPoint {
  date: string;
  due: number;
  doneAndConfirmed: number;
  percent: number | null;
  /** Due measures not yet done and confirmed at that date. */
  missing: { id: string; title: string; schoolName: string }[];
}

/**
 * At each month end: of the planned measures due by then, how many were done and had a
 * confirmation given by then (the verdict history dates the confirmation; the status is today's).
 */
export function completionOverTime(store: Store, districtId: string, from: string, to: string): CompletionPoint[] {
  const measures = store.all(
    qb
      .selectFrom('measures as m')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['m.id', 'm.title', 'm.date_text', 'm.date_from', 'm.date_to', 'm.status', 'p.period_to', 's.short_name'])
      .where('m.deleted_at', 'is', null)
      .where('p.deleted_at', 'is', null)
      .where('p.kind', '=', 'arp')
      .where('s.district_id', '=', districtId)
      .where('m.unplanned', '=', 0)
      .where('m.status', '!=', 'cancelled'),
  );
  const confirmations = store.all(
    qb
      .selectFrom('evidence_verdicts as v')
      .innerJoin('evidence as e', 'e.id', 'v.evidence_id')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['e.measure_id', (eb) => eb.fn.min('v.at').as('first_at')])
      .where('v.deleted_at', 'is', null)
      .where('e.deleted_at', 'is', null)
      .where('e.verdict', '=', 'confirmed')
      .where('v.verdict', '=', 'confirmed')
      .where('s.district_id', '=', districtId)
      .groupBy('e.measure_id'),
  );
  const confirmedAt = new Map(confirmations.map((c) => [c.measure_id, String(c.first_at).slice(0, 10)]));
  return monthsBetween(from, to).map((month) => {
    const monthEnd = format(endOfMonth(parseISO(`${month}-01`)), 'yyyy-MM-dd');
    const date = monthEnd > to ? to : monthEnd;
    let due = 0;
    let ok = 0;
    const missing: CompletionPoint['missing'] = [];
    for (const m of measures) {
      if (!dueAt(readMeasureDue(m), date, m.period_to).due) continue;
      due += 1;
      const c = confirmedAt.get(m.id);
      if (m.status === 'done' && c && c <= date) ok += 1;
      else missing.push({ id: m.id, title: m.title, schoolName: m.short_name });
    }
    return { date, due, doneAndConfirmed: ok, percent: due ? shownPercent(ok, due, planBand) : null, missing };
  });
}

// ---------------------------------------------------------------- curator engagement

export interface CuratorEngagementRow {
  curatorId: string;
  curatorName: string;
  schools: string[];
  score: EngagementScore;
  /** Visits logged in the stage against what the stage rule asks for. */
  journal: { logged: number; required: number; percent: number; band: Band };
}

export interface EngagementSummary {
  from: string;
  deadline: string;
  curators: CuratorEngagementRow[];
  active: number;
  activePercent: number;
  activeBand: Band;
  /** How many curators fall in each band of journal activity. */
  journalBands: { band: Band; label: string; count: number; curatorIds: string[] }[];
  pointsDistribution: { points: number; count: number; curatorIds: string[] }[];
}

export function curatorEngagement(store: Store, districtId: string, from: string, deadline: string): EngagementSummary {
  const curators = curatorsOf(store, districtId);
  const docs = store.all(
    qb
      .selectFrom('evidence as e')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('evidence_verdicts')
            .select(['evidence_id', (x) => x.fn.min('at').as('first_at')])
            .where('deleted_at', 'is', null)
            .where('verdict', '!=', 'pending')
            .groupBy('evidence_id')
            .as('fv'),
        (j) => j.onRef('fv.evidence_id', '=', 'e.id'),
      )
      .select(['e.id', 'e.title', 'e.uploaded_at', 'e.verdict', 'e.verdict_at', 'fv.first_at', 'm.unplanned', 'm.status', 's.id as school_id'])
      .where('e.deleted_at', 'is', null)
      .where('m.deleted_at', 'is', null)
      .where('s.district_id', '=', districtId)
      .where('e.uploaded_at', '<=', `${deadline}T23:59:59.999Z`),
  );
  const comments = store.all(
    qb
      .selectFrom('comments')
      .select(['author_id', 'created_at'])
      .where('deleted_at', 'is', null)
      .where('created_at', '>=', from)
      .where('created_at', '<=', `${deadline}T23:59:59.999Z`),
  );
  const compliance = visitCompliance(store, districtId, from, deadline);
  const rows: CuratorEngagementRow[] = curators.map((c) => {
    const schoolIds = new Set(c.schools.map((s) => s.id));
    const score = scoreEngagement({
      from,
      deadline,
      documents: docs
        .filter((d) => schoolIds.has(d.school_id))
        .map((d) => ({
          id: d.id,
          title: d.title,
          uploaded_at: d.uploaded_at,
          first_verdict_at: (d.first_at as string | null) ?? (d.verdict !== 'pending' ? d.verdict_at : null),
          verdict: d.verdict,
          measure_unplanned: d.unplanned,
          measure_status: d.status,
        })),
      comments: comments.filter((x) => x.author_id === c.id).map((x) => x.created_at),
    });
    const mine = compliance.filter((v) => v.curatorId === c.id);
    const logged = mine.reduce((s, v) => s + Math.min(v.visits, v.required), 0);
    const required = mine.reduce((s, v) => s + v.required, 0);
    return {
      curatorId: c.id,
      curatorName: c.name,
      schools: c.schools.map((s) => s.name),
      score,
      journal: { logged, required, percent: shownPercent(logged, required, bandOfPercent), band: bandOf(logged, required) },
    };
  });
  const active = rows.filter((r) => r.score.active || r.journal.logged > 0);
  const bands: Band[] = ['low', 'mid', 'high'];
  return {
    from,
    deadline,
    curators: rows,
    active: active.length,
    activePercent: shownPercent(active.length, rows.length, bandOfPercent),
    activeBand: bandOf(active.length, rows.length),
    journalBands: bands.map((b) => {
      const ids = rows.filter((r) => r.journal.band === b).map((r) => r.curatorId);
      return { band: b, label: BAND_LABELS[b], count: ids.length, curatorIds: ids };
    }),
    pointsDistribution: [3, 2, 1, 0].map((p) => {
      const ids = rows.filter((r) => r.score.points === p).map((r) => r.curatorId);
      return { points: p, count: ids.length, curatorIds: ids };
    }),
  };
}
