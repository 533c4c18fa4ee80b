/**
 * The municipal roadmap (seed 004: № п/п · Описание действий · Дата реализации ·
 * Муниципальный показатель реализации · Отчетная информация <этап>) read from the
 * tables of a Word or Excel file.
 *
 * A row whose only text is a numbered title («1. Организационное сопровождение Проекта
 * 500+») opens a section; a numbered row («1.1.», «2.3») is an item; a row with no
 * number continues the item above (Word split it across a page, as in seed 004). Every
 * table with the header counts: the roadmap of seed 004 is cut into one table per page,
 * each with the header again. Numbering is stripped; URLs in the report cell become the
 * report's links.
 */
import type { MuniDraftItem, MuniDraftSection, MuniPreview, SkippedRow } from '../contract/roadmapImports';
import { findHeader, headerWords, isEmptyRow, isHeaderRepeat, leadingNumber, stripNumbering, urlsIn, type ColumnRule } from './tableHeader';
import type { SourceCell, SourceTable } from './sourceTable';

type Field = 'number' | 'description' | 'period_text' | 'responsible' | 'indicator' | 'report';

const RULES: readonly ColumnRule<Field>[] = [
  { field: 'number', re: /^(№|n|номер)(\s*п\/п)?\.?$/ },
  { field: 'report', re: /отчетн|отметка о выполнении/ },
  { field: 'description', re: /описание|мероприяти|содержание|действи/ },
  { field: 'period_text', re: /срок|дат[аы]|период/ },
  { field: 'responsible', re: /ответствен|исполнител/ },
  { field: 'indicator', re: /показател|результат/ },
];

export const MUNI_HEADER_HINT = '«№ п/п», «Описание действий», «Дата реализации», «Муниципальный показатель реализации»';

/** The calendar stage («M1», «M2») a report column's header names: «Отчетная информация Второй этап». */
export function stageCodeOf(header: string): string | null {
  const h = headerWords(header);
  if (/(перв\S*|1|i)\s*(-?й\s*)?этап|этап\S*\s*(1|i)(?![\d])/.test(h)) return 'M1';
  if (/(втор\S*|2|ii)\s*(-?й\s*)?этап|этап\S*\s*(2|ii)(?![\d])/.test(h)) return 'M2';
  return null;
}

const join = (a: string | null, b: string) => (!b ? a : a ? `${a}\n${b}` : b);

/** Report text with its URLs cut out (they go to the links), and the links. */
function reportOf(cell: SourceCell | null): { text: string; links: string[] } {
  if (!cell) return { text: '', links: [] };
  const links = [...new Set([...urlsIn(cell.text), ...cell.links.filter((l) => /^https?:\/\//i.test(l))])];
  let text = cell.text;
  for (const l of links) text = text.split(l).join(' ');
  return { text: text.replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').trim(), links };
}

/** Every section and item of the roadmap tables of the file; null when no table has the header. */
export function readMuniRoadmap(tables: readonly SourceTable[], fileName: string): MuniPreview | null {
  const sections: MuniDraftSection[] = [];
  const skipped: SkippedRow[] = [];
  let reportHeader: string | null = null;
  let found = false;
  let item: MuniDraftItem | null = null;
  const section = (title: string) => {
    const s = { title, items: [] as MuniDraftItem[] };
    sections.push(s);
    return s;
  };
  let current: MuniDraftSection | null = null;

  tables.forEach((table) => {
    const header = findHeader(table, RULES, ['description'], 3);
    if (!header) return;
    found = true;
    const cols = header.columns;
    const headerRow = table.rows[header.row]!;
    if (cols.report !== undefined && reportHeader === null) reportHeader = headerRow[cols.report]!.text.replace(/\s+/g, ' ');
    const cell = (row: SourceCell[], f: Field) => (cols[f] === undefined ? null : row[cols[f]!] ?? null);
    const text = (row: SourceCell[], f: Field) => cell(row, f)?.text ?? '';

    for (let r = header.row + 1; r < table.rows.length; r++) {
      const row = table.rows[r]!;
      if (isEmptyRow(row) || isHeaderRepeat(row, headerRow)) continue;
      const rowNo = r + 1;
      const numberText = text(row, 'number');
      const filled = row.filter((c) => c.text);
      const number = leadingNumber(numberText) ?? leadingNumber(text(row, 'description'));
      const rest = (['period_text', 'responsible', 'indicator', 'report'] as const).some((f) => text(row, f) || (f === 'report' && cell(row, f)?.links.length));

      // A section: a title with a one-level number («1.», «2») or none, nothing in the other columns.
      const titleText = rest ? '' : filled.length === 1 ? filled[0]!.text : text(row, 'description');
      // Unnumbered, it is a section only before any item: below an item it is the item's text carried over a page.
      if (titleText && (number !== null ? !number.includes('.') : item === null)) {
        const title = stripNumbering(titleText).replace(/\s+/g, ' ');
        current = section(title);
        item = null;
        continue;
      }

      const description = stripNumbering(text(row, 'description'));
      const report = reportOf(cell(row, 'report'));
      const continues = cols.number !== undefined && !numberText && item !== null;
      if (continues && item) {
        item.description = join(item.description, description) ?? '';
        item.period_text = join(item.period_text, text(row, 'period_text')) ?? '';
        item.responsible = join(item.responsible, text(row, 'responsible'));
        item.indicator = join(item.indicator, text(row, 'indicator'));
        item.report_text = join(item.report_text, report.text) ?? '';
        item.report_links.push(...report.links.filter((l) => !item!.report_links.includes(l)));
        continue;
      }
      if (!description) {
        skipped.push({ row: rowNo, reason: `нет описания действия: «${filled.map((c) => c.text).join(' · ').slice(0, 120)}»` });
        continue;
      }
      item = {
        row: rowNo,
        description,
        period_text: text(row, 'period_text'),
        responsible: text(row, 'responsible') || null,
        indicator: text(row, 'indicator') || null,
        report_text: report.text,
        report_links: report.links,
      };
      (current ?? section('Без раздела')).items.push(item);
      current = current ?? sections[sections.length - 1]!;
    }
  });
  if (!found) return null;
  return { fileName, sections, reportHeader, stageCode: reportHeader ? stageCodeOf(reportHeader) : null, skipped };
}
