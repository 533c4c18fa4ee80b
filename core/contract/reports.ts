/** Calls of the reports area: expertise sheets and marks, monitoring, exports; see core/contract/index.ts. */
import { call } from './define';
import { id, isoDate, optDate, optText, year, z } from './common';
import type { SheetRow, ExpertiseSummary } from '../monitoring/summary';
import type { CompletionPoint, EngagementSummary, OverdueMeasure, PendingEvidence, VisitComplianceRow, VisitMonthCell } from '../monitoring/monitoring';

const districtId = id.nullish();
const period = { from: isoDate, to: isoDate };
const orderedPeriod = <T extends { from: string; to: string }>(s: z.ZodType<T>) =>
  s.refine((v) => v.from <= v.to, { message: 'Дата окончания раньше даты начала', path: ['to'] });

export const reportRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('muni'), districtId, year, stageId: id.nullish(), narrative: optText(20000), date: optDate }),
  z.strictObject({ kind: z.literal('activities'), districtId, year }),
  z.strictObject({ kind: z.literal('curator'), curatorId: id, ...period }),
  z.strictObject({ kind: z.literal('programme'), programmeId: id, reportingDate: isoDate }),
  z.strictObject({ kind: z.literal('expertise'), districtId, reportingDate: isoDate, scope: z.enum(['district', 'region']).default('district') }),
  z.strictObject({ kind: z.literal('visitJournal'), districtId, ...period }),
  z.strictObject({ kind: z.literal('visitSchedule'), districtId, ...period }),
]);
export type ReportRequest = z.output<typeof reportRequest>;
export type ReportKind = ReportRequest['kind'];

export interface ReportOptions {
  districtId: string | null;
  districts: { id: string; name: string }[];
  curators: { id: string; name: string; districtId: string }[];
  programmes: { id: string; title: string; schoolName: string; districtId: string }[];
  stages: { id: string; year: number; code: string; title: string; deadline: string }[];
  /** The latest stage deadline that has passed: the natural reporting date. */
  defaultReportingDate: string;
}

export interface ExpertiseView {
  rows: SheetRow[];
  summary: ExpertiseSummary;
  /** Which day's data the figures show and when they were computed (core/asOfDay.ts). */
  asOf: string;
}

export interface Dashboard {
  from: string;
  to: string;
  /** Which day's data the figures show (the period's end; the expertise: its reporting date). */
  asOf: string;
  summary: ExpertiseSummary;
  engagement: EngagementSummary;
  compliance: VisitComplianceRow[];
  visitsByMonth: { months: string[]; cells: VisitMonthCell[] };
  completion: CompletionPoint[];
  overdue: OverdueMeasure[];
  pending: PendingEvidence[];
}

export interface ExportInfo {
  fileName: string;
  path: string;
  size: number;
  mime: string;
}

export interface ReportPreview {
  title: string;
  orientation: 'portrait' | 'landscape';
  css: string;
  body: string;
}

export const MARK_CRITERIA = ['indicators', 'evidence_fact', 'note'] as const;

export const reportsContract = {
  'reports.options': call<ReportOptions>()(z.strictObject({})),
  'expertise.list': call<ExpertiseView>()(z.strictObject({ districtId, reportingDate: isoDate })),
  'expertise.sheet': call<SheetRow>()(z.strictObject({ programmeId: id, reportingDate: isoDate })),
  'expertise.mark': call<SheetRow>()(
    z
      .strictObject({
        programmeId: id,
        reportingDate: isoDate,
        criterion: z.enum(MARK_CRITERIA, { message: 'Выберите критерий' }),
        value: z.union([z.literal(0), z.literal(1)]).default(0),
        comment: optText(2000),
      })
      .refine((v) => v.criterion !== 'note' || !!v.comment, { message: 'Напишите комментарий', path: ['comment'] }),
  ),
  /** The expert's reading of one measure's «Сроки» at a reporting date; `due: null` goes back to the due rule. */
  'expertise.overrideDue': call<SheetRow>()(
    z
      .strictObject({ programmeId: id, reportingDate: isoDate, measureId: id, due: z.boolean().nullable(), comment: optText(2000) })
      .refine((v) => v.due === null || !!v.comment, { message: 'Напишите, почему срок читается иначе', path: ['comment'] }),
  ),
  'monitoring.dashboard': call<Dashboard>()(orderedPeriod(z.strictObject({ districtId, reportingDate: isoDate, ...period }))),
  'reports.preview': call<ReportPreview>()(z.strictObject({ request: reportRequest })),
  'reports.export': call<ExportInfo>()(z.strictObject({ request: reportRequest })),
  /** The bytes of an exported file (browser mode saves them as a download). */
  'reports.download': call<{ fileName: string; mime: string; base64: string }>()(z.strictObject({ fileName: z.string().min(1).max(255) })),
};
