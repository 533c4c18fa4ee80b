/** ReportDoc → a self-contained, print-friendly HTML page (the renderer prints it; «Сохранить как PDF» in the print dialog). */
import type { Block, ReportDoc } from './model';

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const cell = (s: string) => escapeHtml(s).replace(/\n/g, '<br>');

function block(b: Block): string {
  if (b.type === 'heading') return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
  if (b.type === 'paragraph') {
    const style = [b.align ? `text-align:${b.align}` : '', b.bold ? 'font-weight:bold' : '', b.italic ? 'font-style:italic' : '', b.small ? 'font-size:10pt' : ''].filter(Boolean).join(';');
    return `<p${style ? ` style="${style}"` : ''}>${cell(b.text)}</p>`;
  }
  const total = b.columns.reduce((s, c) => s + c.width, 0);
  const cols = b.columns.map((c) => `<col style="width:${((100 * c.width) / total).toFixed(1)}%">`).join('');
  const head = `<tr>${b.columns.map((c) => `<th>${cell(c.title)}</th>`).join('')}</tr>`;
  const body = b.rows.map((r) => ('section' in r ? `<tr class="section"><td colspan="${b.columns.length}">${cell(r.section)}</td></tr>` : `<tr>${r.cells.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)).join('');
  return `<table><colgroup>${cols}</colgroup><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export const PRINT_CSS = `
body{font-family:'Times New Roman',serif;font-size:12pt;color:#000;margin:0;padding:16px;background:#fff}
h1{font-size:14pt;text-align:center;margin:0 0 12pt}h2{font-size:13pt;margin:14pt 0 6pt}h3{font-size:12pt;margin:10pt 0 4pt}
p{margin:0 0 6pt;text-align:justify}
table{border-collapse:collapse;width:100%;margin:6pt 0 12pt;table-layout:fixed}
th,td{border:1px solid #808080;padding:3pt 4pt;vertical-align:top;font-size:10pt;text-align:left;overflow-wrap:anywhere}
th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid}
tr.section td{font-weight:bold;background:#f6f6f6}`;

export function renderHtml(doc: ReportDoc): string {
  const page = doc.orientation === 'landscape' ? '@page{size:A4 landscape;margin:15mm}' : '@page{size:A4;margin:20mm}';
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title><style>${page}${PRINT_CSS}</style></head><body>${doc.blocks.map(block).join('\n')}</body></html>`;
}

/** Only the body and its style, to show inside the app's print view. */
export function renderHtmlFragment(doc: ReportDoc): { css: string; body: string } {
  return { css: PRINT_CSS, body: doc.blocks.map(block).join('\n') };
}
