/**
 * Importing roadmaps from the Word and Excel files people already have (issue 14,
 * points 3 and 4): an АРП roadmap in the ФИОКО template and the municipal roadmap.
 *
 * Two steps each. The preview reads the file and writes nothing; the user looks at the
 * roadmap, picks where it goes and confirms; the commit gets back exactly what the
 * preview showed and writes it in one call — one transaction, one undo step. Importing
 * the same roadmap again changes nothing: rows are matched by their text.
 */
import { call } from './define';
import { importFile } from './imports';
import { id, url, year, z } from './common';

const line = (max: number) => z.string().trim().max(max, { message: `Не длиннее ${max} символов` });
const optLine = (max: number) => line(max).nullable();

export const roadmapDraftEvidence = z.strictObject({
  title: line(1000).min(1),
  kind: line(200).min(1),
  url: url.refine((v) => v !== null, { message: 'Нужна ссылка' }),
});
export type RoadmapDraftEvidence = z.input<typeof roadmapDraftEvidence>;

export const roadmapDraftMeasure = z.strictObject({
  /** Row of the source table (1-based), for messages. */
  row: z.number().int().min(0),
  /** The task's title; '' when the table has no task column. */
  task: line(2000),
  /** '' for a task that has no measures yet. */
  title: line(2000),
  date_text: line(300),
  responsible: optLine(1000),
  participants: optLine(1000),
  indicator: optLine(3000),
  expected_result: optLine(3000),
  evidence: z.array(roadmapDraftEvidence).max(100),
  /** What the date lint said on the way in (the preview marks these). */
  date_vague: z.boolean(),
});
export type RoadmapDraftMeasure = z.input<typeof roadmapDraftMeasure>;

export interface SkippedRow {
  row: number;
  reason: string;
}

export interface RoadmapDraftTable {
  /** Which table of the file (1-based). */
  index: number;
  /** The columns recognised, in the table's order. */
  columns: string[];
  measures: RoadmapDraftMeasure[];
  skipped: SkippedRow[];
}

export interface RoadmapPreview {
  fileName: string;
  tables: RoadmapDraftTable[];
}

/** Where the roadmap goes: an existing programme, or a new АРП of the school for a risk factor. */
export const roadmapTarget = z.union([
  z.strictObject({ programme_id: id }),
  z.strictObject({ school_id: id, risk_factor_id: id }),
]);

export const roadmapCommit = z.strictObject({
  target: roadmapTarget,
  measures: z.array(roadmapDraftMeasure).min(1, { message: 'В таблице нет мероприятий' }).max(2000),
});
export type RoadmapCommit = z.input<typeof roadmapCommit>;

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RoadmapCommitResult {
  programme_id: string;
  programme_created: boolean;
  tasks: ImportCounts;
  measures: ImportCounts;
  links_added: number;
}

// ---- the municipal roadmap (seed 004) ----

export const muniDraftItem = z.strictObject({
  row: z.number().int().min(0),
  description: line(3000).min(1),
  period_text: line(300),
  responsible: optLine(1000),
  indicator: optLine(3000),
  report_text: line(10000),
  report_links: z.array(url.refine((v) => v !== null)).max(100),
});
export type MuniDraftItem = z.input<typeof muniDraftItem>;

export const muniDraftSection = z.strictObject({
  title: line(500).min(1),
  items: z.array(muniDraftItem).max(500),
});
export type MuniDraftSection = z.input<typeof muniDraftSection>;

export interface MuniPreview {
  fileName: string;
  sections: MuniDraftSection[];
  /** The header of the report column («Отчетная информация Второй этап»), if the table has one. */
  reportHeader: string | null;
  /** The calendar stage code that header names (M1, M2), when it names one. */
  stageCode: string | null;
  skipped: SkippedRow[];
}

export const muniCommit = z.strictObject({
  year,
  /** The stage the report column belongs to; null: the report column is not imported. */
  stage_id: id.nullable(),
  sections: z.array(muniDraftSection).min(1, { message: 'В таблице нет разделов' }).max(50),
});
export type MuniCommit = z.input<typeof muniCommit>;

export interface MuniCommitResult {
  sections: ImportCounts;
  items: ImportCounts;
  reports: ImportCounts;
}

export const roadmapImportsContract = {
  'imports.roadmapPreview': call<RoadmapPreview>()(importFile),
  'imports.roadmapCommit': call<RoadmapCommitResult>()(roadmapCommit),
  'imports.muniPreview': call<MuniPreview>()(importFile),
  'imports.muniCommit': call<MuniCommitResult>()(muniCommit),
};
