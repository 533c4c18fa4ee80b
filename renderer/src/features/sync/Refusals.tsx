import type { SyncState } from '../../../../core/contract/sync';
import { districtDateTime } from '../../clock';
import { t } from '../../i18n/ru';

const s = t.sync.refusals;

/**
 * What the regional server refused of this laptop's changes (issue 10): each with the
 * server's reason and what it was about, newest first. The change stays on this laptop; the
 * rest of the district never receives it.
 */
export function Refusals({ refusals }: { refusals: SyncState['refusals'] }) {
  if (refusals.length === 0) return null;
  return (
    <div className="card" data-testid="sync-refusals">
      <h2 className="card-title">{s.title(refusals.length)}</h2>
      <p className="muted">{s.hint}</p>
      <ul className="agenda">
        {refusals.map((r) => (
          <li key={r.seq}>
            <span className="agenda-date">{districtDateTime(r.refusedAt)}</span>
            <span>
              {s.line(r.reason)} <span className="muted small">· {s.what[r.table] ?? s.other}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
