import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { formatDate } from '../../../../core/format';
import { isCurrentAssignment } from '../../../../core/rules/assignments';
import type { Row } from '../../../../db/schema';
import { t } from '../../i18n/ru';
import { disabledBy, useCan } from '../../hooks/useCan';
import { orderLabel } from '../../../../core/format';
import { districtToday } from '../../clock';

const a = t.people.assignment;

export interface AssignmentRow {
  assignment: Row<'curator_assignments'>;
  order: Row<'orders'> | null;
  /** The other side of the assignment: the school on a person's card, the curator on a school's. */
  party: { href: string; label: string; note?: string | null };
}

interface Props {
  label: string;
  partyHeader: string;
  rows: AssignmentRow[];
  onEdit: (row: AssignmentRow) => void;
  onDelete: (id: string) => void;
  /** Offered on current assignments only. */
  onEnd?: (assignment: Row<'curator_assignments'>) => void;
}

/** Curator assignments with their period and the order that made them; used by both cards. */
export function AssignmentsTable({ label, partyHeader, rows, onEdit, onDelete, onEnd }: Props) {
  const may = disabledBy(useCan('assignments.edit'));
  return (
    <table className="grid" aria-label={label}>
      <thead>
        <tr>
          <th>{partyHeader}</th>
          <th>{a.col.period}</th>
          <th>{a.col.order}</th>
          <th>{a.col.status}</th>
          <th className={onEnd ? 'w-act3' : 'w-act2'} />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const { assignment, order, party } = row;
          const current = isCurrentAssignment(assignment, districtToday());
          let end: ReactNode = null;
          if (onEnd && current) {
            end = (
              <button type="button" className="link" onClick={() => onEnd(assignment)} {...may}>
                {a.end}
              </button>
            );
          }
          return (
            <tr key={assignment.id}>
              <td>
                <Link href={party.href}>{party.label}</Link>
                {party.note && <div className="muted small">{party.note}</div>}
              </td>
              <td className="nowrap">
                с {formatDate(assignment.date_from)}
                {assignment.date_to ? ` по ${formatDate(assignment.date_to)}` : ''}
              </td>
              <td>{order ? <span title={order.title}>{orderLabel(order)}</span> : <span className="muted">—</span>}</td>
              <td>{current ? <span className="badge ok">{a.current}</span> : <span className="badge muted">{a.ended}</span>}</td>
              <td className="row-actions">
                {end}
                <button type="button" className="link" onClick={() => onEdit(row)} {...may}>
                  {t.common.edit}
                </button>
                <button type="button" className="link danger" onClick={() => onDelete(assignment.id)} {...may}>
                  {t.common.delete}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
