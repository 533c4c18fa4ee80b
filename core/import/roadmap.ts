/**
 * An АРП roadmap in the ФИОКО template (seed 003: Задача · Мероприятие · Сроки
 * реализации · Ответственные · Участники · Показатели реализации · Подтверждающие
 * документы) read from the tables of a Word or Excel file.
 *
 * The table is found by its header words wherever it is; the columns may come in any
 * order, «№» and unknown columns are ignored. Row by row, as a reader of the paper
 * would: a task cell merged down over several measures, or left empty under a task,
 * belongs to each of those measures; a row with no measure but more text continues
 * the measure above (a row Word split across a page); empty rows, repeated header rows
 * and stage headings («Этап I») are skipped and listed; numbering typed by hand («1.»,
 * «1.1») is stripped; line breaks inside a cell are kept. URLs in «Подтверждающие
 * документы» become evidence links, each titled by the text before it.
 */
import { EVIDENCE_KINDS } from '../contract/programmes';
import type { RoadmapDraftEvidence, RoadmapDraftMeasure, RoadmapDraftTable, SkippedRow } from '../contract/roadmapImports';
import { lintDate } from '../rules/dateLint';
import { findHeader, headerWords, isEmptyRow, isHeaderRepeat, splitAtUrls, stripNumbering, urlsIn, type ColumnRule } from './tableHeader';
import type { SourceCell, SourceTable } from './sourceTable';

type Field = 'number' | 'task' | 'title' | 'date_text' | 'responsible' | 'participants' | 'indicator' | 'expected_result' | 'evidence';

const RULES: readonly ColumnRule<Field>[] = [
  { field: 'number', re: /^(№|n|номер)(\s*п\/п)?\.?$/ },
  { field: 'evidence', re: /подтвержд|документ|ссылк/ },
  { field: 'task', re: /задач/ },
  { field: 'title', re: /мероприяти|антирисков\S* мер|описание действ|содержание/ },
  { field: 'date_text', re: /срок|дат[аы]|период/ },
  { field: 'responsible', re: /ответствен|исполнител/ },
  { field: 'participants', re: /участник/ },
  { field: 'expected_result', re: /ожидаем/ },
  { field: 'indicator', re: /показател/ },
  { field: 'indicator', re: /результат/ },
  { field: 'expected_result', re: /результат/ },
];

/** Column names as the preview shows what was recognised. */
export const ROADMAP_COLUMN_TITLES: Record<Exclude<Field, 'number'>, string> = {
  task: 'Задача',
  title: 'Мероприятие',
  date_text: 'Сроки',
  responsible: 'Ответственные',
  participants: 'Участники',
  indicator: 'Показатели реализации',
  expected_result: 'Ожидаемый результат',
  evidence: 'Подтверждающие документы',
};

/** The ФИОКО header without which a table is not a roadmap: the measure and at least two more known columns. */
export const ROADMAP_HEADER_HINT = '«Задача», «Мероприятие», «Сроки реализации», «Ответственные», «Показатели реализации»';

const TEXT_FIELDS = ['task', 'title', 'date_text', 'responsible', 'participants', 'indicator', 'expected_result'] as const;

/** The kind of a supporting document from its title's words; «Другое» when none fits. */
export function evidenceKind(title: string): string {
  const t = headerWords(title);
  const rules: [RegExp, (typeof EVIDENCE_KINDS)[number]][] = [
    [/приказ/, 'Приказ'],
    [/протокол/, 'Протокол'],
    [/справк/, 'Аналитическая справка'],
    [/сертификат|удостоверени|кпк|курс/, 'Сертификат КПК'],
    [/фото/, 'Фото'],
    [/отчет/, 'Отчёт'],
    [/программ/, 'Программа'],
    [/план/, 'План'],
    [/сайт|страниц/, 'Ссылка на страницу сайта'],
  ];
  return rules.find(([re]) => re.test(t))?.[1] ?? 'Другое';
}

/** Each link of the cell as an evidence entry titled by the text just before it (else the cell's text, else «Ссылка»). */
export function evidenceOf(cell: SourceCell): { evidence: RoadmapDraftEvidence[]; text: string } {
  const typed = urlsIn(cell.text);
  const segments = splitAtUrls(cell.text).map((s) => s.replace(/^[\s,;:.–—-]+|[\s,;:–—-]+$/g, '').trim());
  const rest = segments.filter(Boolean).join(' ').trim();
  const evidence: RoadmapDraftEvidence[] = [];
  const seen = new Set<string>();
  const add = (url: string, before: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    const title = (before || rest || 'Ссылка').slice(0, 1000);
    evidence.push({ title, kind: evidenceKind(title), url });
  };
  typed.forEach((url, i) => add(url, segments[i] ?? ''));
  for (const url of cell.links) if (/^https?:\/\//i.test(url)) add(url, rest);
  return { evidence, text: rest };
}

function joinText(a: string | null, b: string): string {
  if (!b) return a ?? '';
  if (!a) return b;
  return `${a}\n${b}`;
}

/** The measures of one roadmap table (header found) with the rows skipped and why. */
function readTable(table: SourceTable, index: number): RoadmapDraftTable | null {
  const header = findHeader(table, RULES, ['title'], 3);
  if (!header) return null;
  const cols = header.columns;
  const headerRow = table.rows[header.row]!;
  const measures: RoadmapDraftMeasure[] = [];
  const skipped: SkippedRow[] = [];
  let task = '';
  const cellOf = (row: SourceCell[], f: Field): SourceCell | null => (cols[f] === undefined ? null : row[cols[f]!] ?? null);
  const textOf = (row: SourceCell[], f: Field) => cellOf(row, f)?.text ?? '';

  for (let r = header.row + 1; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    const rowNo = r + 1;
    if (isEmptyRow(row)) continue;
    if (isHeaderRepeat(row, headerRow)) {
      skipped.push({ row: rowNo, reason: 'повтор строки заголовка' });
      continue;
    }
    const taskCell = cellOf(row, 'task');
    const title = stripNumbering(textOf(row, 'title'));
    const taskText = taskCell && !taskCell.mergedFromAbove ? stripNumbering(taskCell.text) : '';
    const evidenceCell = cellOf(row, 'evidence');
    const { evidence, text: evidenceText } = evidenceCell ? evidenceOf(evidenceCell) : { evidence: [], text: '' };
    const others = TEXT_FIELDS.filter((f) => f !== 'task' && f !== 'title').map((f) => textOf(row, f));

    if (!title) {
      const previous = measures[measures.length - 1];
      if (taskText && !others.some(Boolean) && evidence.length === 0) {
        // A task row of its own, its measures below: keep the task even if none follow.
        task = taskText;
        measures.push({ row: rowNo, task, title: '', date_text: '', responsible: null, participants: null, indicator: null, expected_result: null, evidence: [], date_vague: false });
        continue;
      }
      if (previous && !taskText && (others.some(Boolean) || evidence.length > 0)) {
        // The rest of the measure above, carried onto the next page.
        previous.date_text = joinText(previous.date_text, textOf(row, 'date_text'));
        for (const f of ['responsible', 'participants', 'indicator', 'expected_result'] as const) {
          const v = textOf(row, f);
          if (v) previous[f] = joinText(previous[f], v);
        }
        if (evidenceText && evidence.length === 0) previous.expected_result = joinText(previous.expected_result, evidenceText);
        previous.evidence.push(...evidence.filter((e) => !previous.evidence.some((p) => p.url === e.url)));
        previous.date_vague = !lintDate(previous.date_text).concrete;
        continue;
      }
      const words = row.map((c) => c.text).filter(Boolean);
      skipped.push({ row: rowNo, reason: words.length ? `нет мероприятия: «${[...new Set(words)].join(' · ').slice(0, 120)}»` : 'пустая строка' });
      continue;
    }

    if (taskText) task = taskText;
    else if (taskCell?.mergedFromAbove) task = stripNumbering(taskCell.text);
    const date = textOf(row, 'date_text');
    // A task row of its own just above takes this measure instead of standing empty.
    const last = measures[measures.length - 1];
    if (last && !last.title && last.task === task) measures.pop();
    measures.push({
      row: rowNo,
      task,
      title,
      date_text: date,
      responsible: textOf(row, 'responsible') || null,
      participants: textOf(row, 'participants') || null,
      indicator: textOf(row, 'indicator') || null,
      // Documents planned without a link yet have no evidence row to go to: kept as the expected result.
      expected_result: joinText(textOf(row, 'expected_result') || null, evidence.length === 0 ? evidenceText : '') || null,
      evidence,
      date_vague: !lintDate(date).concrete,
    });
  }
  const columns = (Object.keys(cols) as Field[]).filter((f): f is Exclude<Field, 'number'> => f !== 'number').sort((a, b) => cols[a]! - cols[b]!);
  return {
    index,
    columns: columns.map((f) => ROADMAP_COLUMN_TITLES[f]),
    measures,
    skipped,
  };
}

/**
 * Every roadmap table of the file, in document order. A table without a header that
 * directly follows a roadmap table and has as many columns is its continuation (a
 * table cut in two by hand at a page).
 */
export function readRoadmaps(tables: readonly SourceTable[]): RoadmapDraftTable[] {
  const out: RoadmapDraftTable[] = [];
  let previous: { draft: RoadmapDraftTable; width: number; header: SourceTable } | null = null;
  tables.forEach((table, i) => {
    const draft = readTable(table, i + 1);
    if (draft) {
      out.push(draft);
      previous = { draft, width: table.rows[0]?.length ?? 0, header: table };
      return;
    }
    const width = table.rows[0]?.length ?? 0;
    if (previous && width === previous.width && table.rows.length > 0) {
      const headerRow = findHeader(previous.header, RULES, ['title'], 3)!;
      const joined = readTable({ rows: [previous.header.rows[headerRow.row]!, ...table.rows], headerRows: 1 }, previous.draft.index);
      if (joined && joined.measures.length > 0) {
        previous.draft.measures.push(...joined.measures);
        previous.draft.skipped.push(...joined.skipped);
        return;
      }
    }
    previous = null;
  });
  return out.map((t) => ({ ...t, measures: t.measures.filter((m) => m.title || m.task) }));
}
