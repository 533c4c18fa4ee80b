/**
 * Reads what the rubric needs for every АРП in a scope with one query per table (no
 * per-programme round trips, so 15,000 programmes stay fast) and scores them.
 */
import { qb, type Store } from '../../db/store';
import { insertRow, softDelete, updateRow } from '../../db/write';
import { personShort } from '../format';
import { sortNatural } from '../rules/naturalOrder';
import { scoreProgramme, type DateCheck, type RubricEvidence, type RubricMark, type RubricMeasure, type RubricTask } from '../rules/expertise';
import { checkMeasureDate, readMeasureDue } from './dateCheck';
import type { SheetRow } from './summary';

export interface Scope {
  districtId?: string | null;
  schoolId?: string | null;
  programmeId?: string | null;
}

interface ProgrammeHead {
  id: string;
  title: string;
  target_indicators: string | null;
  period_to: string | null;
  school_id: string;
  school_name: string;
  district_id: string;
  district_name: string;
}

function group<T, K extends keyof T>(rows: readonly T[], key: K): Map<T[K], T[]> {
  const out = new Map<T[K], T[]>();
  for (const r of rows) {
    const list = out.get(r[key]);
    if (list) list.push(r);
    else out.set(r[key], [r]);
  }
  return out;
}

export function loadProgrammeHeads(store: Store, scope: Scope): ProgrammeHead[] {
  let q = qb
    .selectFrom('programmes as p')
    .innerJoin('schools as s', 's.id', 'p.school_id')
    .innerJoin('districts as d', 'd.id', 's.district_id')
    .select(['p.id', 'p.title', 'p.target_indicators', 'p.period_to', 'p.school_id', 's.short_name as school_name', 's.district_id', 'd.name as district_name'])
    .where('p.kind', '=', 'arp')
    .where('p.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null);
  if (scope.districtId) q = q.where('s.district_id', '=', scope.districtId);
  if (scope.schoolId) q = q.where('p.school_id', '=', scope.schoolId);
  if (scope.programmeId) q = q.where('p.id', '=', scope.programmeId);
  return store.all(q);
}

/** Child rows of the programmes in scope. With a narrow scope, filter by id; for a whole district or region, join. */
function children(store: Store, scope: Scope) {
  const inScope = qb
    .selectFrom('programmes as p')
    .innerJoin('schools as s', 's.id', 'p.school_id')
    .select('p.id')
    .where('p.kind', '=', 'arp')
    .where('p.deleted_at', 'is', null)
    .$if(!!scope.districtId, (q) => q.where('s.district_id', '=', scope.districtId!))
    .$if(!!scope.schoolId, (q) => q.where('p.school_id', '=', scope.schoolId!))
    .$if(!!scope.programmeId, (q) => q.where('p.id', '=', scope.programmeId!));
  const tasks = store.all(
    qb.selectFrom('programme_tasks').select(['id', 'title', 'programme_id']).where('deleted_at', 'is', null).where('programme_id', 'in', inScope).orderBy('position'),
  );
  const measures = store.all(
    qb
      .selectFrom('measures')
      .select(['id', 'programme_id', 'title', 'date_text', 'date_from', 'date_to', 'indicator', 'unplanned', 'status'])
      .where('deleted_at', 'is', null)
      .where('programme_id', 'in', inScope)
      .orderBy('position'),
  );
  const evidence = store.all(
    qb
      .selectFrom('evidence as e')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .select(['e.id', 'e.measure_id', 'e.title', 'e.verdict', 'm.programme_id'])
      .where('e.deleted_at', 'is', null)
      .where('m.deleted_at', 'is', null)
      .where('m.programme_id', 'in', inScope),
  );
  return { tasks, measures, evidence };
}

export function loadMarks(store: Store, scope: Scope, reportingDate: string) {
  return store.all(
    qb
      .selectFrom('expertise_marks as k')
      .innerJoin('programmes as p', 'p.id', 'k.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .leftJoin('people as who', 'who.id', 'k.by_person_id')
      .select(['k.id', 'k.programme_id', 'k.criterion', 'k.value', 'k.comment', 'k.by_person_id', 'k.at', 'who.last_name', 'who.first_name', 'who.middle_name'])
      .where('k.deleted_at', 'is', null)
      .where('k.reporting_date', '=', reportingDate)
      .$if(!!scope.districtId, (q) => q.where('s.district_id', '=', scope.districtId!))
      .$if(!!scope.schoolId, (q) => q.where('p.school_id', '=', scope.schoolId!))
      .$if(!!scope.programmeId, (q) => q.where('p.id', '=', scope.programmeId!)),
  );
}

/** Every АРП in scope scored at the reporting date, with the names the tables show, in the natural order of district, school and programme. */
export function computeSheets(store: Store, scope: Scope, reportingDate: string, checkDate: DateCheck = checkMeasureDate): SheetRow[] {
  const heads = sortNatural(loadProgrammeHeads(store, scope), (h) => h.district_name, (h) => h.school_name, (h) => h.title);
  if (heads.length === 0) return [];
  const { tasks, measures, evidence } = children(store, scope);
  const marks = loadMarks(store, scope, reportingDate);
  const tasksBy = group(tasks, 'programme_id');
  const measuresBy = group(measures, 'programme_id');
  const evidenceBy = group(evidence, 'programme_id');
  const marksBy = group(marks, 'programme_id');
  return heads.map((h) => {
    const mk: RubricMark[] = (marksBy.get(h.id) ?? []).map((m) => ({
      criterion: m.criterion,
      value: m.value,
      comment: m.comment,
      by_person_id: m.by_person_id,
      by_name: m.last_name ? personShort({ last_name: m.last_name, first_name: m.first_name ?? '', middle_name: m.middle_name }) : null,
      at: m.at,
    }));
    const sheet = scoreProgramme({
      programme: h,
      tasks: (tasksBy.get(h.id) ?? []) as RubricTask[],
      measures: (measuresBy.get(h.id) ?? []) as RubricMeasure[],
      evidence: (evidenceBy.get(h.id) ?? []) as RubricEvidence[],
      marks: mk.filter((m) => m.criterion !== 'note'),
      reportingDate,
      checkDate,
      readDue: readMeasureDue,
    });
    const note = mk.filter((m) => m.criterion === 'note').sort((a, b) => b.at.localeCompare(a.at))[0]?.comment ?? null;
    return {
      programmeId: h.id,
      programmeTitle: h.title,
      schoolId: h.school_id,
      schoolName: h.school_name,
      districtId: h.district_id,
      districtName: h.district_name,
      sheet,
      note,
    };
  });
}

/** The live mark of a criterion at a date, if any. */
function liveMark(store: Store, programmeId: string, reportingDate: string, criterion: string) {
  return store.first(
    qb
      .selectFrom('expertise_marks')
      .select('id')
      .where('programme_id', '=', programmeId)
      .where('reporting_date', '=', reportingDate)
      .where('criterion', '=', criterion)
      .where('deleted_at', 'is', null)
      .orderBy('at', 'desc'),
  );
}

/** Withdraws a mark (an expert's due reading going back to the rule); the history keeps it. */
export function clearMark(store: Store, input: { programmeId: string; reportingDate: string; criterion: string }): void {
  store.tx(() => {
    const existing = liveMark(store, input.programmeId, input.reportingDate, input.criterion);
    if (existing) softDelete(store, 'expertise_marks', existing.id);
  });
}

/**
 * Records a judgement mark (or the expert's note) for a programme at a reporting date:
 * one live row per (programme, date, criterion), updated in place so sync merges edits
 * field by field and the history stays in the change log.
 */
export function saveMark(
  store: Store,
  input: { programmeId: string; reportingDate: string; criterion: string; value: 0 | 1; comment: string | null; byPersonId: string | null },
): void {
  store.tx(() => {
    const existing = liveMark(store, input.programmeId, input.reportingDate, input.criterion);
    const values = { value: input.value, comment: input.comment, by_person_id: input.byPersonId, at: new Date().toISOString() };
    if (existing) updateRow(store, 'expertise_marks', existing.id, values);
    else insertRow(store, 'expertise_marks', { programme_id: input.programmeId, reporting_date: input.reportingDate, criterion: input.criterion, ...values });
  });
}
