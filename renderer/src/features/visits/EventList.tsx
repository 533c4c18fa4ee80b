import { useState } from 'react';
import { useLocation } from 'wouter';
import { formatDate } from '../../../../core/format';
import { eventKinds } from '../../../../core/contract/fieldEvents';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { rowLink } from '../../components/rowLink';
import { useCan } from '../../hooks/useCan';

const e = t.visits.events;

/** Совещания, вебинары, семинары, ИМД и конференции, newest first. */
export function EventList() {
  const [, navigate] = useLocation();
  const [kind, setKind] = useState<(typeof eventKinds)[number] | ''>('');
  const list = useCall('events.list', { kind: kind || null });
  // Only the coordinator keeps the district's events; others never can.
  const canEdit = useCan('events.edit').allowed;
  return (
    <>
      <div className="page-head">
        <h1>{t.visits.tabs.events}</h1>
        <select aria-label={e.kind} value={kind} onChange={(x) => setKind(x.target.value as typeof kind)}>
          <option value="">Все виды</option>
          {eventKinds.map((k) => (
            <option key={k} value={k}>
              {e.kinds[k]}
            </option>
          ))}
        </select>
        {canEdit && (
          <button type="button" className="primary" onClick={() => navigate('/events/new')}>
            {e.add}
          </button>
        )}
      </div>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && <EmptyState>{e.empty}</EmptyState>}
      {list.data && list.data.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th style={{ width: 110 }}>{e.col.date}</th>
              <th style={{ width: 130 }}>{e.col.kind}</th>
              <th>{e.col.title}</th>
              <th>{e.col.organiser}</th>
              <th style={{ width: 70 }}>{e.col.schools}</th>
              <th style={{ width: 90 }}>{e.col.people}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((r) => (
              <tr
                key={r.id}
                {...rowLink(navigate, `/events/${r.id}`)}
              >
                <td>{formatDate(r.date)}</td>
                <td>{e.kinds[r.kind]}</td>
                <td>{r.title}</td>
                <td>{r.organiser ?? <span className="muted">—</span>}</td>
                <td>{r.schools}</td>
                <td>{r.people}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
