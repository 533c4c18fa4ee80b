import { useMemo } from 'react';
import type { ImportPreview, PreviewRow, RowStatus } from '../../../../core/contract/imports';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { t } from '../../i18n/ru';

const tr = t.imports;

const BADGE: Record<RowStatus, string> = { new: 'badge ok', same: 'badge muted', changed: 'badge warn', refused: 'badge danger' };

interface Line {
  outcome: PreviewRow;
  cells: readonly string[];
}

/** Each data row of the file with what will happen to it; virtualised, so 5,000 rows cost one screenful. */
export function PreviewTable({ preview, rows }: { preview: ImportPreview; rows: readonly (readonly string[])[] }) {
  const lines = useMemo<Line[]>(() => preview.rows.map((outcome) => ({ outcome, cells: rows[outcome.row - 1] ?? [] })), [preview, rows]);
  const columns = useMemo<Column<Line>[]>(() => {
    const label = new Map(preview.fields.map((f) => [f.key, f.label]));
    const mapped = preview.mapping.flatMap((field, col) => (field ? [{ field, col }] : []));
    return [
      { key: 'row', title: tr.colRow, width: '70px', align: 'end', render: (l) => l.outcome.row },
      {
        key: 'outcome',
        title: tr.colOutcome,
        width: 'minmax(280px, 3fr)',
        render: ({ outcome: o }) => (
          <span className="import-outcome">
            <span className={BADGE[o.status]}>{tr.status[o.status]}</span>
            {o.changed && (
              <span className="import-note" title={tr.changedFields(o.changed)}>
                {tr.changedFields(o.changed)}
              </span>
            )}
            {o.note && (
              <span className={o.status === 'refused' ? 'import-note danger-text' : 'import-note muted'} title={o.note}>
                {o.note}
              </span>
            )}
          </span>
        ),
      },
      ...mapped.map(({ field, col }): Column<Line> => ({ key: `c${col}`, title: label.get(field) ?? field, width: 'minmax(120px, 2fr)', render: (l) => l.cells[col] ?? '' })),
    ];
  }, [preview]);
  return (
    <div className="import-preview">
      <VirtualTable<Line>
        label={tr.rowsLabel}
        columns={columns}
        queryKey={JSON.stringify(preview.mapping) + preview.rows.length}
        fetchPage={(offset, limit) => Promise.resolve({ rows: lines.slice(offset, offset + limit), total: lines.length })}
        rowKey={(l) => String(l.outcome.row)}
        onOpen={() => undefined}
        rowHeight={58}
      />
    </div>
  );
}
