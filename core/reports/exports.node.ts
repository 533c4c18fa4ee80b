/**
 * One place that knows every report: builds its model, names its file the way a user
 * would, writes it into `<dataDir>/exports/` and reports progress for long exports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../db/errors';
import { getMeta } from '../../db/replica';
import { qb, type Store } from '../../db/store';
import type { Ctx } from '../context';
import type { ReportRequest } from '../contract/reports';
import { formatDate, personShort } from '../format';
import { asOfLine, readAsOfDay } from '../asOfDay';
import { todayOf } from '../localDay';
import { renderDocx } from './docx';
import { activitiesReport, curatorReport, districtOf, muniCoordinatorReport, muniReportDate, programmeReport } from './documents';
import { renderHtmlFragment } from './html';
import { p, workbookAsDoc, type ReportDoc, type Workbook } from './model';
import { expertiseWorkbook, visitJournalWorkbook, visitScheduleWorkbook } from './workbooks';
import { renderXlsx } from './xlsx.node';

export const EXPORTS_DIR = 'exports';

export type Built = { kind: 'docx'; doc: ReportDoc; fileName: string } | { kind: 'xlsx'; workbook: Workbook; fileName: string };

/** Characters no file system accepts; the «» quotes and dashes users like stay. */
export const safeFileName = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not carry
    .replace(/[/\\:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 180);

export function districtIdOf(store: Store, requested: string | null | undefined): string {
  const id = requested ?? getMeta(store, 'district_id');
  if (!id) throw new AppError('no_district', 'Сначала создайте район.');
  return id;
}

const period = (from: string, to: string) => `${formatDate(from)}–${formatDate(to)}`;

/** The day a report shows the data of: its reporting date or the end of its period (today at the latest). */
export function reportDay(store: Store, req: ReportRequest): string {
  const today = todayOf(store);
  const day = (() => {
    switch (req.kind) {
      case 'muni':
        return req.date ?? muniReportDate(store, req.stageId ?? null, today);
      case 'activities':
        return `${req.year}-12-31`;
      case 'programme':
      case 'expertise':
        return req.reportingDate;
      case 'curator':
      case 'visitJournal':
      case 'visitSchedule':
        return req.to;
    }
  })();
  return day < today ? day : today;
}

/** Adds the as-of line under the title (documents) or to each sheet's title (workbooks). */
function stamped(b: Built, line: string): Built {
  if (b.kind === 'docx') return { ...b, doc: { ...b.doc, blocks: [b.doc.blocks[0]!, p(line, { small: true, italic: true }), ...b.doc.blocks.slice(1)] } };
  return { ...b, workbook: { ...b.workbook, sheets: b.workbook.sheets.map((s) => ({ ...s, title: `${s.title}. ${line}` })) } };
}

/** The report as the data stood at the end of its day (core/asOfDay.ts), saying so. */
export function buildReport(store: Store, req: ReportRequest): Built {
  const day = reportDay(store, req);
  return stamped(
    readAsOfDay(store, day, () => buildFromData(store, req)),
    asOfLine(store, day),
  );
}

function buildFromData(store: Store, req: ReportRequest): Built {
  switch (req.kind) {
    case 'muni': {
      const districtId = districtIdOf(store, req.districtId);
      const date = reportDay(store, req);
      const doc = muniCoordinatorReport(store, { districtId, year: req.year, stageId: req.stageId ?? null, narrative: req.narrative, date });
      return { kind: 'docx', doc, fileName: `Отчёт муниципального координатора — ${districtOf(store, districtId).name} — ${formatDate(date)}.docx` };
    }
    case 'activities': {
      const districtId = districtIdOf(store, req.districtId);
      const doc = activitiesReport(store, { districtId, year: req.year });
      return { kind: 'docx', doc, fileName: `Отчёт о мероприятиях проекта 500+ — ${districtOf(store, districtId).name} — ${req.year}.docx` };
    }
    case 'curator': {
      const doc = curatorReport(store, req);
      const who = store.first(qb.selectFrom('people').select(['last_name', 'first_name', 'middle_name']).where('id', '=', req.curatorId))!;
      return { kind: 'docx', doc, fileName: `Отчёт куратора — ${personShort(who)} — ${period(req.from, req.to)}.docx` };
    }
    case 'programme': {
      const doc = programmeReport(store, req);
      return { kind: 'docx', doc, fileName: `${doc.title.slice(0, 120)} — ${formatDate(req.reportingDate)}.docx` };
    }
    case 'expertise': {
      const region = req.scope === 'region';
      const districtId = region ? null : districtIdOf(store, req.districtId);
      const scopeName = districtId ? districtOf(store, districtId).name : 'все районы';
      const workbook = expertiseWorkbook(store, { districtId }, req.reportingDate, scopeName);
      return { kind: 'xlsx', workbook, fileName: `Экспертиза АРП — ${scopeName} — ${formatDate(req.reportingDate)}.xlsx` };
    }
    case 'visitJournal': {
      const districtId = districtIdOf(store, req.districtId);
      const name = districtOf(store, districtId).name;
      return { kind: 'xlsx', workbook: visitJournalWorkbook(store, { districtId, from: req.from, to: req.to }, name), fileName: `Журнал посещений — ${name} — ${period(req.from, req.to)}.xlsx` };
    }
    case 'visitSchedule': {
      const districtId = districtIdOf(store, req.districtId);
      const name = districtOf(store, districtId).name;
      return { kind: 'xlsx', workbook: visitScheduleWorkbook(store, { districtId, from: req.from, to: req.to }, name), fileName: `График посещений — ${name} — ${period(req.from, req.to)}.xlsx` };
    }
  }
}

export const renderBuilt = (b: Built): Promise<Buffer> => (b.kind === 'docx' ? renderDocx(b.doc) : renderXlsx(b.workbook));

export function previewOf(b: Built): { title: string; orientation: 'portrait' | 'landscape'; css: string; body: string } {
  const doc = b.kind === 'docx' ? b.doc : workbookAsDoc(b.workbook);
  return { title: doc.title, orientation: doc.orientation, ...renderHtmlFragment(doc) };
}

/** A free name in the folder: «Отчёт.docx», then «Отчёт (2).docx»… (an earlier export is never overwritten). */
function freePath(dir: string, fileName: string): string {
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  let candidate = path.join(dir, fileName);
  for (let i = 2; fs.existsSync(candidate); i++) candidate = path.join(dir, `${base} (${i})${ext}`);
  return candidate;
}

export interface ExportResult {
  fileName: string;
  path: string;
  size: number;
  mime: string;
}

export const MIME = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export async function exportReport(ctx: Ctx, req: ReportRequest): Promise<ExportResult> {
  const task = `export:${req.kind}`;
  ctx.emit({ type: 'progress', task, done: 0, total: 3, label: 'Сбор данных' });
  const built = buildReport(ctx.store, req);
  ctx.emit({ type: 'progress', task, done: 1, total: 3, label: 'Формирование файла' });
  const bytes = await renderBuilt(built);
  ctx.emit({ type: 'progress', task, done: 2, total: 3, label: 'Запись файла' });
  const dir = path.join(ctx.dataDir, EXPORTS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const file = freePath(dir, safeFileName(built.fileName));
  fs.writeFileSync(file, bytes);
  ctx.emit({ type: 'progress', task, done: 3, total: 3, label: 'Готово' });
  return { fileName: path.basename(file), path: file, size: bytes.length, mime: MIME[built.kind] };
}

/** An exported file's bytes for the renderer (a download in browser mode); only names inside the exports folder. */
export function readExport(ctx: Ctx, fileName: string): { fileName: string; mime: string; base64: string } {
  const dir = path.join(ctx.dataDir, EXPORTS_DIR);
  const file = path.join(dir, path.basename(fileName));
  if (path.basename(fileName) !== fileName || !fs.existsSync(file)) throw new AppError('not_found', 'Файл отчёта не найден: сформируйте его заново.');
  const ext = path.extname(file).slice(1) as keyof typeof MIME;
  return { fileName, mime: MIME[ext] ?? 'application/octet-stream', base64: fs.readFileSync(file).toString('base64') };
}
