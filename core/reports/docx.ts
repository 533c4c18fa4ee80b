/** ReportDoc → .docx bytes with the docx library (no hand-written XML). Times New Roman 12, as the seeds are set. */
import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, ShadingType } from 'docx';
import type { Align, Block, ReportDoc } from './model';

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const satisfies Record<Align, unknown>;
const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
/** Text width of A4 with 2 cm margins, in twentieths of a point. */
const TEXT_WIDTH = { portrait: 9638, landscape: 14570 } as const;
const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const borders = { top: border, bottom: border, left: border, right: border };

const lines = (text: string, size?: number, bold?: boolean): Paragraph[] =>
  text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, ...(size ? { size } : {}), ...(bold ? { bold } : {}) })] }));

function block(b: Block, width: number): Paragraph | Table {
  if (b.type === 'heading') return new Paragraph({ heading: HEADING[b.level], alignment: b.level === 1 ? AlignmentType.CENTER : AlignmentType.LEFT, children: [new TextRun({ text: b.text, bold: true })] });
  if (b.type === 'paragraph')
    return new Paragraph({
      alignment: b.align ? ALIGN[b.align] : AlignmentType.JUSTIFIED,
      spacing: { after: 120 },
      children: [new TextRun({ text: b.text, ...(b.bold ? { bold: true } : {}), ...(b.italic ? { italics: true } : {}), ...(b.small ? { size: 20 } : {}) })],
    });
  const total = b.columns.reduce((s, c) => s + c.width, 0);
  const widths = b.columns.map((c) => Math.floor((width * c.width) / total));
  // The header row repeats at the top of every page the table runs onto; a data row stays on one page.
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: b.columns.map(
      (c, i) => new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, borders, shading: { type: ShadingType.CLEAR, fill: 'EEEEEE', color: 'auto' }, children: lines(c.title, 20, true) }),
    ),
  });
  const rows = b.rows.map((r) =>
    'section' in r
      ? new TableRow({ cantSplit: true, children: [new TableCell({ columnSpan: b.columns.length, borders, children: lines(r.section, 20, true) })] })
      : new TableRow({ cantSplit: true, children: r.cells.map((c, i) => new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, borders, children: lines(c, 20) })) }),
  );
  return new Table({ width: { size: width, type: WidthType.DXA }, columnWidths: widths, rows: [header, ...rows] });
}

export async function renderDocx(doc: ReportDoc): Promise<Buffer> {
  const width = TEXT_WIDTH[doc.orientation];
  const children = doc.blocks.flatMap((b) => (b.type === 'table' ? [block(b, width), new Paragraph({ children: [] })] : [block(b, width)]));
  const file = new Document({
    title: doc.title,
    creator: '500+ Адресная помощь',
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 } } } },
    sections: [
      {
        properties: {
          page: {
            size: doc.orientation === 'landscape' ? { orientation: PageOrientation.LANDSCAPE, width: 11906, height: 16838 } : { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(file);
}
