/**
 * THE curator-engagement rule of the ФИОКО monitoring (DOMAIN.md rule 5, seed 003):
 * up to 3 points per curator for a monitoring stage, and the share of active curators
 * in the bands 0–35%, 35–75%, 76–100%. Pure: the caller passes the curator's documents,
 * comments and visits for the stage.
 *
 * 1. «Согласованы в установленные сроки»: every document of the curator's schools uploaded
 *    by the stage deadline got its first verdict (подтверждено / на доработку) by the deadline.
 * 2. «Согласованы как соответствующие»: of the documents the curator confirmed, at least 80%
 *    belong to planned measures that are marked done — the curator's «ПОДТВЕРЖДЕНО» agrees
 *    with the roadmap rather than confirming unplanned or unfinished work.
 * 3. «Комментирует»: the curator wrote at least one comment on the schools' programmes,
 *    measures or documents during the stage.
 * With no documents at all, points 1 and 2 are not earned (there was nothing agreed).
 */
import { percentText } from '../format';
import { evidenceBand, meetsEvidenceShare } from './expertise';

export interface EngagementDocument {
  id: string;
  title: string;
  uploaded_at: string;
  /** The first verdict other than «на проверке», or null while pending. */
  first_verdict_at: string | null;
  verdict: 'pending' | 'confirmed' | 'rework';
  measure_unplanned: 0 | 1;
  measure_status: string;
}

export interface EngagementInput {
  /** Stage window, 'YYYY-MM-DD'. */
  from: string;
  deadline: string;
  documents: readonly EngagementDocument[];
  /** Comment instants (ISO) written by the curator on the schools' material. */
  comments: readonly string[];
}

export interface EngagementCriterion {
  code: 'on_time' | 'compliant' | 'comments';
  title: string;
  points: 0 | 1;
  reason: string;
  items: { id: string; title: string; note: string }[];
}

export interface EngagementScore {
  points: number;
  max: 3;
  criteria: EngagementCriterion[];
  /** Did anything in the stage: a verdict or a comment. */
  active: boolean;
}

export const ENGAGEMENT_TITLES = {
  on_time: 'Документы согласованы куратором в установленные сроки',
  compliant: 'Документы согласованы как соответствующие методическим рекомендациям',
  comments: 'Куратор комментирует действия школы',
} as const;

const day = (iso: string): string => iso.slice(0, 10);

export function scoreEngagement(input: EngagementInput): EngagementScore {
  const inStage = input.documents.filter((d) => day(d.uploaded_at) <= input.deadline);
  const late = inStage.filter((d) => d.first_verdict_at === null || day(d.first_verdict_at) > input.deadline);
  const onTime: EngagementCriterion = {
    code: 'on_time',
    title: ENGAGEMENT_TITLES.on_time,
    points: inStage.length > 0 && late.length === 0 ? 1 : 0,
    reason:
      inStage.length === 0
        ? 'К сроку этапа школы не разместили документов: согласовывать было нечего.'
        : `Проверено к сроку ${inStage.length - late.length} из ${inStage.length} документов.`,
    items: late.map((d) => ({ id: d.id, title: d.title, note: d.first_verdict_at ? `проверен ${day(d.first_verdict_at)}, после срока` : 'не проверен' })),
  };

  const confirmed = input.documents.filter((d) => d.verdict === 'confirmed');
  const wrong = confirmed.filter((d) => d.measure_unplanned || d.measure_status !== 'done');
  const compliant: EngagementCriterion = {
    code: 'compliant',
    title: ENGAGEMENT_TITLES.compliant,
    points: meetsEvidenceShare(confirmed.length - wrong.length, confirmed.length) ? 1 : 0,
    reason:
      confirmed.length === 0
        ? 'Куратор не подтвердил ни одного документа.'
        : `Соответствуют дорожной карте ${confirmed.length - wrong.length} из ${confirmed.length} подтверждённых документов (${percentText(confirmed.length - wrong.length, confirmed.length, evidenceBand)}; нужно не меньше 80%).`,
    items: wrong.map((d) => ({ id: d.id, title: d.title, note: d.measure_unplanned ? 'подтверждён документ мероприятия вне плана' : 'мероприятие не отмечено выполненным' })),
  };

  const stageComments = input.comments.filter((c) => day(c) >= input.from && day(c) <= input.deadline);
  const comments: EngagementCriterion = {
    code: 'comments',
    title: ENGAGEMENT_TITLES.comments,
    points: stageComments.length > 0 ? 1 : 0,
    reason: stageComments.length > 0 ? `Комментариев за этап: ${stageComments.length}.` : 'За этап куратор не оставил ни одного комментария.',
    items: [],
  };

  const verdictsInStage = input.documents.some((d) => d.first_verdict_at !== null && day(d.first_verdict_at) >= input.from && day(d.first_verdict_at) <= input.deadline);
  const criteria = [onTime, compliant, comments];
  return { points: criteria.reduce((s, c) => s + c.points, 0), max: 3, criteria, active: verdictsInStage || stageComments.length > 0 };
}

export type Band = 'low' | 'mid' | 'high';
/**
 * Seed 003 writes «0% - 35%», «35% - 75%», «76% - 100%»: each band ends at its upper figure
 * (75% is mid, 76% high), so exactly 35% is low and the middle band's label starts at 36%:
 * every label holds exactly the whole percents its band holds.
 */
export const BAND_LABELS: Record<Band, string> = { low: '0% – 35%', mid: '36% – 75%', high: '76% – 100%' };

/** The band of a percent (exact or as shown): the same boundaries as bandOf. */
export const bandOfPercent = (percent: number): Band => (percent <= 35 ? 'low' : percent <= 75 ? 'mid' : 'high');

/** A share as shown beside its band: half up, one decimal where the whole percent would read as another band (35,4% is mid). */
export const bandPercentText = (part: number, whole: number): string => percentText(part, whole, bandOfPercent);

/**
 * The band of a share part/whole, in integers: up to 35% → low, up to 75% → mid,
 * above 75% → high. Nothing to share → low.
 */
export function bandOf(part: number, whole: number): Band {
  if (whole <= 0) return 'low';
  if (100 * part <= 35 * whole) return 'low';
  if (100 * part <= 75 * whole) return 'mid';
  return 'high';
}
