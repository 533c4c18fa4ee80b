/**
 * Every table of a Word document (DOCX), wherever it sits — in the body, inside another
 * table's cell, in a text box — as SourceTables with merges resolved.
 *
 * Read straight from the document XML (fflate's synchronous unzip + the saxes streaming
 * parser) rather than through mammoth: mammoth renders HTML and we would parse that
 * again, its tables lose nothing we need only when it maps vertical merges, and its API
 * is asynchronous, while this reader runs inside the import call's synchronous
 * transaction. What Word writes and we read:
 * - w:gridSpan (merged across) and w:gridBefore (cells missing at the row's start) place
 *   each cell on its grid column;
 * - w:vMerge="restart" … w:vMerge (merged down) repeats the first cell's text below;
 * - paragraphs, w:br and w:cr are line breaks, w:tab a space; deleted text (w:delText),
 *   field codes (w:instrText) and the fallback copy of mc:AlternateContent are not text;
 * - w:hyperlink's target from the relationships part, and HYPERLINK field codes, are links;
 * - w:tblHeader marks header rows Word repeats on each page.
 * Damaged, protected and wrong files are refused by the caller (officeFile.ts) before this.
 */
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { cleanCellText, emptyCell, type SourceCell, type SourceTable } from './sourceTable';

const W = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const R = new Set(['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships']);

/** The unzipped parts a table reader needs; absent when the zip is not a Word document. */
export interface DocxParts {
  document: string;
  rels: string | null;
}

const DOCUMENT = 'word/document.xml';
const RELS = 'word/_rels/document.xml.rels';

/** The document part and its relationships; null when the zip has no Word document in it. */
export function docxParts(zipBytes: Uint8Array): DocxParts | null {
  const files = unzipSync(zipBytes, { filter: (f) => f.name === DOCUMENT || f.name === RELS });
  const doc = files[DOCUMENT];
  if (!doc) return null;
  return { document: strFromU8(doc), rels: files[RELS] ? strFromU8(files[RELS]) : null };
}

/** Hyperlink relationship id → target URL. */
function hyperlinkTargets(relsXml: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!relsXml) return out;
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => {
    if (!tag.name.endsWith('Relationship')) return;
    const a = tag.attributes as Record<string, string>;
    if (a.Type?.endsWith('/hyperlink') && a.Id && a.Target) out.set(a.Id, a.Target);
  });
  parser.write(relsXml).close();
  return out;
}

interface CellBuild {
  gridCol: number;
  span: number;
  vMerge: 'restart' | 'continue' | null;
  paragraphs: string[];
  links: string[];
}

interface TableBuild {
  rows: CellBuild[][];
  headerRows: number;
  row: CellBuild[] | null;
  rowIsHeader: boolean;
  gridBefore: number;
  cell: CellBuild | null;
  /** Grid columns taken so far in the current row. */
  col: number;
}

/** Lays the cells on the grid and repeats vertically merged cells down. */
function finishTable(t: TableBuild): SourceTable {
  const width = Math.max(0, ...t.rows.map((r) => r.reduce((w, c) => Math.max(w, c.gridCol + c.span), 0)));
  const rows: SourceCell[][] = [];
  for (const built of t.rows) {
    const row = Array.from({ length: width }, emptyCell);
    for (const c of built) {
      const above = rows[rows.length - 1]?.[c.gridCol];
      if (c.vMerge === 'continue' && above) {
        row[c.gridCol] = { text: above.text, links: [...above.links], mergedFromAbove: true };
      } else {
        row[c.gridCol] = { text: cleanCellText(c.paragraphs.join('\n')), links: [...new Set(c.links)], mergedFromAbove: false };
      }
    }
    rows.push(row);
  }
  return { rows, headerRows: t.headerRows };
}

const HYPERLINK_FIELD = /HYPERLINK\s+"([^"]+)"/;

/** Every table in the document, outer tables before the tables nested in them, in document order of their start. */
export function docxTables(parts: DocxParts): SourceTable[] {
  const targets = hyperlinkTargets(parts.rels);
  const done: { order: number; table: SourceTable }[] = [];
  const open: (TableBuild & { order: number })[] = [];
  let started = 0;
  /** Depth inside elements whose content is not document text (fallbacks, deleted runs). */
  let skip = 0;
  let inText = false;
  let inInstr = false;
  const parser = new SaxesParser({ xmlns: true });

  const current = () => open[open.length - 1];
  const paragraphOf = (t: TableBuild | undefined) => t?.cell?.paragraphs;
  const append = (s: string) => {
    const ps = paragraphOf(current());
    if (ps && ps.length) ps[ps.length - 1] += s;
  };
  const attr = (tag: SaxesTagNS, local: string) => (Object.values(tag.attributes) as SaxesAttributeNS[]).find((a) => a.local === local && (W.has(a.uri) || R.has(a.uri)))?.value;

  parser.on('opentag', (tag) => {
    if (tag.uri === MC && tag.local === 'Fallback') skip++;
    if (skip > 0 || !W.has(tag.uri)) return;
    const t = current();
    switch (tag.local) {
      case 'tbl':
        open.push({ rows: [], headerRows: 0, row: null, rowIsHeader: false, gridBefore: 0, cell: null, col: 0, order: started++ });
        break;
      case 'tr':
        if (t) Object.assign(t, { row: [], rowIsHeader: false, gridBefore: 0, col: 0 });
        break;
      case 'gridBefore':
        if (t?.row && !t.cell) t.col = t.gridBefore = Number(attr(tag, 'val') ?? 0) || 0;
        break;
      case 'tblHeader':
        if (t?.row && !t.cell && attr(tag, 'val') !== '0' && attr(tag, 'val') !== 'false') t.rowIsHeader = true;
        break;
      case 'tc':
        if (t?.row) t.cell = { gridCol: t.col, span: 1, vMerge: null, paragraphs: [], links: [] };
        break;
      case 'gridSpan':
        if (t?.cell) t.cell.span = Math.max(1, Number(attr(tag, 'val') ?? 1) || 1);
        break;
      case 'vMerge':
        if (t?.cell) t.cell.vMerge = attr(tag, 'val') === 'restart' ? 'restart' : 'continue';
        break;
      case 'p':
        t?.cell?.paragraphs.push('');
        break;
      case 't':
        inText = true;
        break;
      case 'br':
      case 'cr':
        append('\n');
        break;
      case 'tab':
        append(' ');
        break;
      case 'instrText':
        inInstr = true;
        break;
      case 'hyperlink': {
        const id = attr(tag, 'id');
        const target = id ? targets.get(id) : undefined;
        if (target && t?.cell) t.cell.links.push(target);
        break;
      }
      case 'fldSimple': {
        const m = HYPERLINK_FIELD.exec(attr(tag, 'instr') ?? '');
        if (m && t?.cell) t.cell.links.push(m[1]!);
        break;
      }
      case 'del':
        skip++;
        break;
    }
  });

  parser.on('text', (text) => {
    if (skip > 0) return;
    if (inText) append(text);
    else if (inInstr) {
      const m = HYPERLINK_FIELD.exec(text);
      const cell = current()?.cell;
      if (m && cell) cell.links.push(m[1]!);
    }
  });

  parser.on('closetag', (tag) => {
    if (tag.uri === MC && tag.local === 'Fallback') skip--;
    if (!W.has(tag.uri)) return;
    if (tag.local === 'del') {
      skip--;
      return;
    }
    if (skip > 0) return;
    const t = current();
    switch (tag.local) {
      case 't':
        inText = false;
        break;
      case 'instrText':
        inInstr = false;
        break;
      case 'tc':
        if (t?.row && t.cell) {
          t.row.push(t.cell);
          t.col += t.cell.span;
          t.cell = null;
        }
        break;
      case 'tr':
        if (t?.row) {
          if (t.rowIsHeader && t.rows.length === t.headerRows) t.headerRows++;
          t.rows.push(t.row);
          t.row = null;
        }
        break;
      case 'tbl': {
        const built = open.pop();
        if (built) done.push({ order: built.order, table: finishTable(built) });
        break;
      }
    }
  });

  parser.write(parts.document).close();
  return done.sort((a, b) => a.order - b.order).map((d) => d.table);
}
