/**
 * The summary tables of seed 003 computed from expertise sheets: per criterion the number
 * and share of programmes meeting it, the distribution of points, and per district a
 * table of school, points, % of plan and comment. Unlike the hand-made tables of the seed,
 * every distribution here covers every programme exactly once and its percentages add up
 * to 100 (largest-remainder rounding).
 */
import { percentLabel, shownPercent } from '../format';
import { CRITERION_TITLES, MAX_TOTAL, POINT_CRITERIA, type ExpertiseSheet, type PointCriterion } from '../rules/expertise';

export interface SheetRow {
  programmeId: string;
  programmeTitle: string;
  schoolId: string;
  schoolName: string;
  districtId: string;
  districtName: string;
  sheet: ExpertiseSheet;
  /** The expert's free comment (expertise mark «note»), if any. */
  note: string | null;
}

export interface CriterionSummary {
  criterion: PointCriterion;
  title: string;
  count: number;
  /** Of the assessed programmes; null when none was assessed. */
  percent: number | null;
}

export interface DistributionRow {
  key: string;
  label: string;
  count: number;
  percent: number;
  programmeIds: string[];
}

export interface DistrictRow {
  programmeId: string;
  schoolName: string;
  programmeTitle: string;
  points: string;
  planPercent: string;
  total: string;
  comment: string;
}

export interface DistrictTable {
  districtId: string;
  districtName: string;
  rows: DistrictRow[];
}

export interface ExpertiseSummary {
  reportingDate: string;
  programmes: number;
  assessed: number;
  notAssessable: number;
  /** Sheets whose judged criteria nobody has marked yet. */
  provisional: number;
  criteria: CriterionSummary[];
  planDistribution: DistributionRow[];
  totalDistribution: DistributionRow[];
  districts: DistrictTable[];
}

/** Whole percents of each count that add up to exactly 100 (largest remainder); all zero when total is 0. */
export function percentsAddingUp(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (100 * c) / total);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((s, v) => s + v, 0);
  const order = exact.map((v, i) => ({ i, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

const PLAN_BANDS = [
  { key: '3', label: '3 балла (75–100%)' },
  { key: '2', label: '2 балла (50–74%)' },
  { key: '1', label: '1 балл (25–49%)' },
  { key: '0', label: '0 баллов (0–24%)' },
  { key: 'none_due', label: 'Н/о: нет мероприятий к отчётной дате' },
  { key: 'no_roadmap', label: 'Н/о: в АРП нет дорожной карты' },
] as const;

export function planKey(sheet: ExpertiseSheet): (typeof PLAN_BANDS)[number]['key'] {
  if (!sheet.assessable) return 'no_roadmap';
  return sheet.plan.points === null ? 'none_due' : (String(sheet.plan.points) as '0' | '1' | '2' | '3');
}

function distribution(rows: readonly SheetRow[], bands: readonly { key: string; label: string }[], keyOf: (s: ExpertiseSheet) => string): DistributionRow[] {
  const ids = new Map<string, string[]>(bands.map((b) => [b.key, []]));
  for (const r of rows) ids.get(keyOf(r.sheet))!.push(r.programmeId);
  const counts = bands.map((b) => ids.get(b.key)!.length);
  const pct = percentsAddingUp(counts);
  return bands.map((b, i) => ({ key: b.key, label: b.label, count: counts[i]!, percent: pct[i]!, programmeIds: ids.get(b.key)! }));
}

/** Points out of a maximum: 8, or 5 when the plan criterion was «Н/о» (nothing due yet). */
const PLAN_NOT_DUE_MAX = MAX_TOTAL - 3;

/**
 * The total's rows grouped by (maximum, points): «3 из 5» of a sheet whose plan was «Н/о» is
 * never counted as «3 из 8». Every row of 8 is always listed; rows of 5 only when a sheet has
 * one; «Н/о» (no roadmap) is a row of its own.
 */
function totalBands(rows: readonly SheetRow[]): { key: string; label: string }[] {
  const ofFive = rows.some((r) => r.sheet.assessable && r.sheet.max === PLAN_NOT_DUE_MAX);
  const points = (max: number) => Array.from({ length: max + 1 }, (_, i) => max - i);
  return [
    ...points(MAX_TOTAL).map((n) => ({ key: `${n}/${MAX_TOTAL}`, label: `${n} из ${MAX_TOTAL}` })),
    ...(ofFive ? points(PLAN_NOT_DUE_MAX).map((n) => ({ key: `${n}/${PLAN_NOT_DUE_MAX}`, label: `${n} из ${PLAN_NOT_DUE_MAX} (план: Н/о)` })) : []),
    { key: 'no_roadmap', label: 'Н/о (нет дорожной карты)' },
  ];
}

export const totalKey = (sheet: ExpertiseSheet): string => (sheet.assessable ? `${sheet.total}/${sheet.max}` : 'no_roadmap');

/** The comment column: the expert's note, else what the data says in a few words (as the seed's experts wrote). */
export function autoComment(sheet: ExpertiseSheet): string {
  if (!sheet.assessable) return 'Невозможно оценить (в АРП нет дорожной карты)';
  const parts: string[] = [];
  const match = sheet.criteria.find((c) => c.criterion === 'evidence_match')!;
  const unplannedDocs = match.items.length;
  if (sheet.plan.due > 0 && sheet.plan.doneAndConfirmed === 0 && unplannedDocs > 0) parts.push('Подтверждены только позиции вне плана');
  else if (unplannedDocs > 0) parts.push(`Документы вне плана: ${unplannedDocs}`);
  const undated = sheet.plan.counted.filter((m) => m.reading !== 'date').length;
  if (undated > 0) parts.push(`Позиций без конкретной даты: ${undated}`);
  const confirmedNotDone = sheet.plan.missing.filter((m) => m.confirmedNotDone).length;
  if (confirmedNotDone > 0) parts.push(`Документ подтверждён, но мероприятие не отмечено выполненным: ${confirmedNotDone}`);
  const noDocs = sheet.plan.missing.filter((m) => m.note.includes('нет подтверждающих')).length;
  if (noDocs > 0) parts.push(`Выполнено без документов: ${noDocs}`);
  if (sheet.awaitingMarks.length > 0) parts.push('Ждёт отметки эксперта');
  return parts.join('; ');
}


export function summarise(reportingDate: string, rows: readonly SheetRow[]): ExpertiseSummary {
  const assessed = rows.filter((r) => r.sheet.assessable);
  const criteria = POINT_CRITERIA.map((c) => {
    const count = assessed.filter((r) => r.sheet.assessable && r.sheet.criteria.find((x) => x.criterion === c)!.points === 1).length;
    return { criterion: c, title: CRITERION_TITLES[c], count, percent: assessed.length ? shownPercent(count, assessed.length) : null };
  });
  const byDistrict = new Map<string, DistrictTable>();
  // Rows come in the one natural order (computeSheets sorts them): every table keeps it.
  for (const r of rows) {
    let t = byDistrict.get(r.districtId);
    if (!t) byDistrict.set(r.districtId, (t = { districtId: r.districtId, districtName: r.districtName, rows: [] }));
    const s = r.sheet;
    t.rows.push({
      programmeId: r.programmeId,
      schoolName: r.schoolName,
      programmeTitle: r.programmeTitle,
      points: s.assessable && s.plan.points !== null ? String(s.plan.points) : 'Н/о',
      planPercent: s.assessable && s.plan.percent !== null ? percentLabel(s.plan.percent) : 'Н/о',
      total: s.assessable ? `${s.total} из ${s.max}` : 'Н/о',
      comment: [r.note, autoComment(s)].filter((x) => !!x).join('. '),
    });
  }
  return {
    reportingDate,
    programmes: rows.length,
    assessed: assessed.length,
    notAssessable: rows.length - assessed.length,
    provisional: assessed.filter((r) => r.sheet.assessable && r.sheet.awaitingMarks.length > 0).length,
    criteria,
    planDistribution: distribution(rows, PLAN_BANDS, planKey),
    totalDistribution: distribution(rows, totalBands(rows), totalKey),
    districts: [...byDistrict.values()],
  };
}
