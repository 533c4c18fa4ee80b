/**
 * THE scoring rubric of the ФИОКО «Экспертный лист» for one АРП at one reporting date
 * (DOMAIN.md rule 4, seed 003). Pure: it gets the programme's rows and returns every
 * criterion with its points and the reason, so the UI, the reports and the regional
 * server all show the same numbers with the same explanation.
 *
 * What the data decides is computed here. What needs an expert's judgement
 * («показатели позволяют оценить результат», «документы подтверждают факт») is a mark
 * (expertise_marks, with who and when); until someone marks it, the computed suggestion
 * counts provisionally and the sheet says so.
 */
import { percentText, shownPercent } from '../format';
import { dueAt, readDue, type DueReading } from './due';

export const CRITERIA = ['plan', 'tasks', 'indicators', 'dates', 'evidence_match', 'evidence_fact'] as const;
export type Criterion = (typeof CRITERIA)[number];
/** The five one-point criteria, in the order of the «Экспертный лист». */
export const POINT_CRITERIA = ['tasks', 'indicators', 'dates', 'evidence_match', 'evidence_fact'] as const satisfies readonly Criterion[];
export type PointCriterion = (typeof POINT_CRITERIA)[number];
/** Criteria that need a person's judgement: a mark overrides the suggestion. */
export const JUDGED_CRITERIA: readonly PointCriterion[] = ['indicators', 'evidence_fact'];

export const CRITERION_TITLES: Record<Criterion, string> = {
  plan: 'Соотношение запланированных мероприятий к реализованным на отчётную дату',
  tasks: 'В АРП поставлены задачи',
  indicators: 'В АРП сформулированы показатели деятельности, позволяющие оценить результат достижения задач и мероприятий',
  dates: 'В АРП определены конкретные сроки реализации мероприятий',
  evidence_match: 'Подтверждающие документы соотносятся с мероприятиями дорожной карты АРП',
  evidence_fact: 'Подтверждающие документы позволяют подтвердить факт реализации АРП',
};

export const MAX_TOTAL = 8;
/** A criterion about evidence holds where at least 4/5 of the published evidence meets it. */
export const EVIDENCE_SHARE = { num: 4, den: 5 } as const;

export interface RubricProgramme {
  id: string;
  title: string;
  target_indicators: string | null;
  /** The programme's end: when measures without any period fall due (the due rule). */
  period_to?: string | null;
}
export interface RubricTask {
  id: string;
  title: string;
}
export interface RubricMeasure {
  id: string;
  title: string;
  date_text: string;
  date_from: string | null;
  date_to: string | null;
  indicator: string | null;
  unplanned: 0 | 1;
  status: 'planned' | 'done' | 'not_done' | 'postponed' | 'cancelled';
}
export interface RubricEvidence {
  id: string;
  measure_id: string;
  title: string;
  verdict: 'pending' | 'confirmed' | 'rework';
}
export interface RubricMark {
  criterion: string;
  value: 0 | 1;
  comment: string | null;
  by_person_id: string | null;
  by_name?: string | null;
  at: string;
}

/**
 * Whether a measure's «Сроки» are concrete. Injected so this rubric stays pure; the one
 * date lint lives in core/rules/dateLint.ts (adapter: core/monitoring/dateCheck.ts).
 */
export type DateCheck = (m: Pick<RubricMeasure, 'date_text' | 'date_from' | 'date_to'>) => { concrete: boolean; reason: string | null };
/** How a measure's «Сроки» read for the due rule (core/rules/due.ts); injected so a caller can remember the readings. */
export type DueRead = (m: Pick<RubricMeasure, 'date_text' | 'date_from' | 'date_to'>) => DueReading;

export interface RubricInput {
  programme: RubricProgramme;
  tasks: readonly RubricTask[];
  measures: readonly RubricMeasure[];
  evidence: readonly RubricEvidence[];
  marks: readonly RubricMark[];
  /** 'YYYY-MM-DD' */
  reportingDate: string;
  checkDate: DateCheck;
  readDue?: DueRead;
}

/** A row behind a reason: which measure or document, and why. */
export interface ReasonItem {
  id: string;
  title: string;
  note: string;
  /** A document is confirmed but the measure is not marked done: it scores 0 until someone marks it (the sheet and the report say so). */
  confirmedNotDone?: true;
}

export const CONFIRMED_NOT_DONE = 'документ подтверждён, но мероприятие не отмечено выполненным';

/** A planned measure as the due rule read it at the reporting date. */
export interface DueItem extends ReasonItem {
  /** How its «Сроки» read: a concrete date, a named period, or no period at all. */
  reading: DueReading['kind'];
  /** The expert's own reading of this measure at this date, with who and when (dueOverrideCriterion). */
  override?: { due: boolean; by: string | null; at: string; comment: string | null };
}

/**
 * An expert may read one measure's «Сроки» differently from the due rule at a reporting date
 * («считать подлежащим» / «не учитывать»): kept as an expertise mark of this criterion, with
 * who and when, so it syncs and is checked like every mark.
 */
export const dueOverrideCriterion = (measureId: string): string => `due:${measureId}`;

export interface PlanResult {
  criterion: 'plan';
  /** null = «Н/о»: nothing was due by the reporting date. */
  points: 0 | 1 | 2 | 3 | null;
  due: number;
  doneAndConfirmed: number;
  /** The percent as shown: half up, one decimal where the whole number would sit in another band (core/format.ts). */
  percent: number | null;
  reason: string;
  /** Due measures not counted as implemented and confirmed, each with why. */
  missing: ReasonItem[];
  /** The measures counted as due, each with why (the due rule: «срок 12.05.2022 наступил»). */
  counted: DueItem[];
  /** Planned measures not due yet (not started or «в работе»), each with why. */
  notDue: DueItem[];
}

export interface PointResult {
  criterion: PointCriterion;
  points: 0 | 1;
  /** What the data suggests (for judged criteria, shown beside the mark). */
  suggested: 0 | 1;
  source: 'data' | 'mark' | 'suggestion';
  reason: string;
  items: ReasonItem[];
  mark: RubricMark | null;
}

export type ExpertiseSheet =
  | {
      programmeId: string;
      reportingDate: string;
      assessable: false;
      /** «Н/о»: the АРП has no roadmap. */
      reason: string;
    }
  | {
      programmeId: string;
      reportingDate: string;
      assessable: true;
      plan: PlanResult;
      criteria: PointResult[];
      total: number;
      /** 8, or 5 when the plan criterion is «Н/о». */
      max: number;
      /** Judged criteria nobody has marked yet: the total is provisional. */
      awaitingMarks: PointCriterion[];
    };

/** 0–3 points from the exact ratio ok/due against 1/4, 1/2, 3/4, in integers (no float edge cases). */
export function planPoints(ok: number, due: number): 0 | 1 | 2 | 3 {
  if (due <= 0) throw new RangeError('due must be positive');
  const q = 4 * ok;
  if (q < due) return 0;
  if (q < 2 * due) return 1;
  if (q < 3 * due) return 2;
  return 3;
}

/** At least 80% (exactly: 5·part ≥ 4·whole); an empty whole never meets it. */
export function meetsEvidenceShare(part: number, whole: number): boolean {
  return whole > 0 && EVIDENCE_SHARE.den * part >= EVIDENCE_SHARE.num * whole;
}

/**
 * A planned measure (not cancelled) whose document the curator confirmed but which is not marked
 * done: the plan criterion does not count it, and the measure panel says what to do.
 */
export function confirmedButNotDone(m: Pick<RubricMeasure, 'unplanned' | 'status'>, evidence: readonly Pick<RubricEvidence, 'verdict'>[]): boolean {
  return !m.unplanned && m.status !== 'done' && m.status !== 'cancelled' && evidence.some((e) => e.verdict === 'confirmed');
}

/** The plan criterion's band of a percent: 0–24 → 0, 25–49 → 1, 50–74 → 2, 75–100 → 3 (lower ends included). */
export const planBand = (percent: number): 0 | 1 | 2 | 3 => (percent < 25 ? 0 : percent < 50 ? 1 : percent < 75 ? 2 : 3);
/** The evidence criteria's band: meets at 80% and above. */
export const evidenceBand = (percent: number): boolean => percent >= 100 * (EVIDENCE_SHARE.num / EVIDENCE_SHARE.den);

const STATUS_RU: Record<RubricMeasure['status'], string> = {
  planned: 'запланировано',
  done: 'выполнено',
  not_done: 'не выполнено',
  postponed: 'перенесено',
  cancelled: 'отменено',
};

const readByLint: DueRead = (m) => readDue(m.date_text, m.date_from, m.date_to);

export function scoreProgramme(input: RubricInput): ExpertiseSheet {
  const { programme, reportingDate } = input;
  const measures = input.measures;
  if (measures.length === 0) {
    return { programmeId: programme.id, reportingDate, assessable: false, reason: 'Невозможно оценить: в АРП нет дорожной карты (нет ни одного мероприятия).' };
  }
  const byMeasure = new Map<string, RubricEvidence[]>();
  for (const e of input.evidence) {
    const list = byMeasure.get(e.measure_id);
    if (list) list.push(e);
    else byMeasure.set(e.measure_id, [e]);
  }
  const measureById = new Map(measures.map((m) => [m.id, m]));
  const marks = new Map<string, RubricMark>();
  for (const m of input.marks) {
    const prev = marks.get(m.criterion);
    if (!prev || prev.at < m.at) marks.set(m.criterion, m);
  }

  const plan = scorePlan(measures, byMeasure, reportingDate, programme.period_to ?? null, input.readDue ?? readByLint, (id) => marks.get(dueOverrideCriterion(id)));
  const criteria: PointResult[] = [
    decided('tasks', tasksCriterion(input.tasks)),
    judged('indicators', indicatorsCriterion(programme, measures), marks.get('indicators') ?? null),
    decided('dates', datesCriterion(measures, input.checkDate)),
    decided('evidence_match', matchCriterion(input.evidence, measureById)),
    judged('evidence_fact', factCriterion(input.evidence, measureById), marks.get('evidence_fact') ?? null),
  ];
  const total = (plan.points ?? 0) + criteria.reduce((s, c) => s + c.points, 0);
  return {
    programmeId: programme.id,
    reportingDate,
    assessable: true,
    plan,
    criteria,
    total,
    max: plan.points === null ? MAX_TOTAL - 3 : MAX_TOTAL,
    awaitingMarks: criteria.filter((c) => c.source === 'suggestion').map((c) => c.criterion),
  };
}

function scorePlan(
  measures: readonly RubricMeasure[],
  byMeasure: Map<string, RubricEvidence[]>,
  reportingDate: string,
  programmeEnd: string | null,
  read: DueRead,
  overrideOf: (measureId: string) => RubricMark | undefined = () => undefined,
): PlanResult {
  const missing: ReasonItem[] = [];
  const counted: DueItem[] = [];
  const notDue: DueItem[] = [];
  let due = 0;
  let ok = 0;
  for (const m of measures) {
    // Unplanned measures never count toward the plan; cancelled ones were taken out of it.
    if (m.unplanned || m.status === 'cancelled') continue;
    // Done or not, a measure counts only once the due rule says it is due.
    const reading = read(m);
    const mark = overrideOf(m.id);
    const verdict = mark
      ? { due: mark.value === 1, reason: `эксперт${mark.by_name ? ` ${mark.by_name}` : ''}: ${mark.value === 1 ? 'подлежит выполнению' : 'не учитывается'} на эту дату${mark.comment ? ` — ${mark.comment}` : ''}` }
      : dueAt(reading, reportingDate, programmeEnd);
    const item: DueItem = { id: m.id, title: m.title, note: `«${m.date_text || '—'}»: ${verdict.reason}`, reading: reading.kind };
    if (mark) item.override = { due: mark.value === 1, by: mark.by_name ?? null, at: mark.at, comment: mark.comment };
    if (!verdict.due) {
      notDue.push(item);
      continue;
    }
    counted.push(item);
    due += 1;
    const documents = byMeasure.get(m.id) ?? [];
    const confirmed = documents.some((e) => e.verdict === 'confirmed');
    if (m.status === 'done' && confirmed) ok += 1;
    else if (confirmedButNotDone(m, documents)) missing.push({ id: m.id, title: m.title, note: `статус «${STATUS_RU[m.status]}»: ${CONFIRMED_NOT_DONE}`, confirmedNotDone: true });
    else if (m.status !== 'done') missing.push({ id: m.id, title: m.title, note: `статус «${STATUS_RU[m.status]}»` });
    else missing.push({ id: m.id, title: m.title, note: documents.length === 0 ? 'выполнено, но нет подтверждающих документов' : 'выполнено, но ни один документ не подтверждён куратором' });
  }
  if (due === 0) {
    return { criterion: 'plan', points: null, due, doneAndConfirmed: 0, percent: null, reason: 'Н/о: на отчётную дату не было запланированных мероприятий.', missing, counted, notDue };
  }
  const points = planPoints(ok, due);
  const percent = shownPercent(ok, due, planBand);
  return {
    criterion: 'plan',
    points,
    due,
    doneAndConfirmed: ok,
    percent,
    reason: `Выполнено и подтверждено ${ok} из ${due} мероприятий, запланированных на отчётную дату (${percentText(ok, due, planBand)}).`,
    missing,
    counted,
    notDue,
  };
}

interface Verdict {
  ok: boolean;
  reason: string;
  items: ReasonItem[];
}

function decided(criterion: PointCriterion, v: Verdict): PointResult {
  const p = v.ok ? 1 : 0;
  return { criterion, points: p, suggested: p, source: 'data', reason: v.reason, items: v.items, mark: null };
}

function judged(criterion: PointCriterion, v: Verdict, mark: RubricMark | null): PointResult {
  const suggested = v.ok ? 1 : 0;
  return {
    criterion,
    points: mark ? mark.value : suggested,
    suggested,
    source: mark ? 'mark' : 'suggestion',
    reason: v.reason,
    items: v.items,
    mark,
  };
}

function tasksCriterion(tasks: readonly RubricTask[]): Verdict {
  if (tasks.length === 0) return { ok: false, reason: 'В АРП не указано ни одной задачи.', items: [] };
  return { ok: true, reason: `Поставлено задач: ${tasks.length}.`, items: [] };
}

/** Suggestion only: target indicators are stated and every planned measure has an implementation indicator. */
function indicatorsCriterion(programme: RubricProgramme, measures: readonly RubricMeasure[]): Verdict {
  const without = measures.filter((m) => !m.unplanned && !(m.indicator ?? '').trim());
  const items = without.map((m) => ({ id: m.id, title: m.title, note: 'не указан показатель реализации' }));
  if (!(programme.target_indicators ?? '').trim()) return { ok: false, reason: 'В АРП не указаны целевые показатели.', items };
  if (without.length > 0) return { ok: false, reason: `У ${without.length} мероприятий нет показателя реализации.`, items };
  return { ok: true, reason: 'Целевые показатели указаны, у каждого мероприятия есть показатель реализации.', items };
}

function datesCriterion(measures: readonly RubricMeasure[], check: DateCheck): Verdict {
  const items: ReasonItem[] = [];
  for (const m of measures) {
    const r = check(m);
    if (!r.concrete) items.push({ id: m.id, title: m.title, note: `«${m.date_text || '—'}»: ${r.reason ?? 'срок не конкретен'}` });
  }
  if (items.length === 0) return { ok: true, reason: 'У всех мероприятий указаны конкретные сроки.', items };
  return { ok: false, reason: `Неконкретные сроки у ${items.length} из ${measures.length} мероприятий.`, items };
}

/** Evidence of unplanned measures does not count: ≥80% of published documents must belong to planned measures. */
function matchCriterion(evidence: readonly RubricEvidence[], measures: Map<string, RubricMeasure>): Verdict {
  if (evidence.length === 0) return { ok: false, reason: 'Подтверждающие документы не опубликованы.', items: [] };
  const items: ReasonItem[] = [];
  for (const e of evidence) {
    const m = measures.get(e.measure_id);
    if (m?.unplanned) items.push({ id: e.id, title: e.title, note: `относится к мероприятию вне плана «${m.title}»` });
  }
  const matching = evidence.length - items.length;
  const ok = meetsEvidenceShare(matching, evidence.length);
  return {
    ok,
    reason: `К мероприятиям дорожной карты относятся ${matching} из ${evidence.length} документов (${percentText(matching, evidence.length, evidenceBand)}; нужно не меньше 80%).`,
    items,
  };
}

/** Suggestion only: ≥80% of published documents of planned measures are confirmed by the curator. */
function factCriterion(evidence: readonly RubricEvidence[], measures: Map<string, RubricMeasure>): Verdict {
  if (evidence.length === 0) return { ok: false, reason: 'Подтверждающие документы не опубликованы.', items: [] };
  const items: ReasonItem[] = [];
  let confirmed = 0;
  for (const e of evidence) {
    const m = measures.get(e.measure_id);
    if (e.verdict === 'confirmed' && !m?.unplanned) confirmed += 1;
    else if (m?.unplanned) items.push({ id: e.id, title: e.title, note: 'вне плана: не подтверждает реализацию АРП' });
    else items.push({ id: e.id, title: e.title, note: e.verdict === 'rework' ? 'возвращён на доработку' : 'ещё не проверен куратором' });
  }
  const ok = meetsEvidenceShare(confirmed, evidence.length);
  return {
    ok,
    reason: `Подтверждают факт реализации ${confirmed} из ${evidence.length} документов (${percentText(confirmed, evidence.length, evidenceBand)}; нужно не меньше 80%).`,
    items,
  };
}

/** «3», «Н/о» — how a sheet's total reads in the tables of seed 003. */
export function totalLabel(sheet: ExpertiseSheet): string {
  return sheet.assessable ? String(sheet.total) : 'Н/о';
}
