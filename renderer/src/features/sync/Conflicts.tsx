import type { ConflictView, DeletionConflictView, FieldConflictView } from '../../../../core/contract/sync';
import { call } from '../../bridge';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { districtDateTime } from '../../clock';

const s = t.sync;

const when = (iso: string | null): string => (iso ? districtDateTime(iso) : s.state.never);
const show = (v: string | number | null): string => (v === null || v === '' ? s.conflicts.emptyValue : String(v));

type Pick = 'current' | 'lost' | 'restore' | 'delete';

/** Синхронизация → Конфликты: two edits of one field, and edits that met a deletion. */
export function Conflicts() {
  const list = useCall('conflicts.list', {});
  const toast = useApp((x) => x.toast);
  const resolve = async (c: ConflictView, pick: Pick) => {
    const r = await call('conflicts.resolve', { id: c.id, pick });
    if (r.ok) toast(s.conflicts.resolved);
    else toast(r.error.message, { kind: 'error' });
    list.reload();
  };
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  if (!list.data) return <div className="loading">{t.common.loading}</div>;
  if (list.data.length === 0) return <EmptyState>{s.conflicts.empty}</EmptyState>;
  const fields = list.data.filter((c): c is FieldConflictView => c.kind === 'field');
  const deletions = list.data.filter((c): c is DeletionConflictView => c.kind !== 'field');
  return (
    <>
      {deletions.length > 0 && <DeletionConflicts items={deletions} onPick={(c, pick) => void resolve(c, pick)} />}
      {fields.length > 0 && <FieldConflicts items={fields} onPick={(c, pick) => void resolve(c, pick)} />}
    </>
  );
}

function FieldConflicts({ items, onPick }: { items: FieldConflictView[]; onPick: (c: FieldConflictView, pick: Pick) => void }) {
  return (
    <>
      <p className="muted intro">{s.conflicts.intro}</p>
      <div className="card flush">
        <table className="grid" aria-label={s.tabs.conflicts}>
          <thead>
            <tr>
              <th>{s.conflicts.record}</th>
              <th>{s.conflicts.field}</th>
              <th>{s.conflicts.current}</th>
              <th>{s.conflicts.lost}</th>
              <th className="w-act2" />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <RecordCell title={c.rowTitle} table={c.table} />
                <td>{s.columns[c.column] ?? c.column}</td>
                <td>
                  <div>{show(c.current)}</div>
                  <div className="muted small">{when(c.currentAt)}</div>
                </td>
                <td>
                  <div>{show(c.lost)}</div>
                  <div className="muted small">{when(c.lostAt)}</div>
                </td>
                <td className="row-actions">
                  <button type="button" onClick={() => onPick(c, 'current')}>
                    {s.conflicts.keepCurrent}
                  </button>{' '}
                  <button type="button" onClick={() => onPick(c, 'lost')}>
                    {s.conflicts.takeLost}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The record a conflict is about: its title and, below, which kind of record it is. */
function RecordCell({ title, table }: { title: string; table: string }) {
  return (
    <td>
      <div>{title}</div>
      <div className="muted small">{s.tables[table] ?? table}</div>
    </td>
  );
}

function DeletionConflicts({ items, onPick }: { items: DeletionConflictView[]; onPick: (c: DeletionConflictView, pick: Pick) => void }) {
  const d = s.conflicts.deletions;
  return (
    <>
      <p className="muted intro">{d.intro}</p>
      <div className="card flush">
        <table className="grid" aria-label={d.title}>
          <thead>
            <tr>
              <th>{s.conflicts.record}</th>
              <th>{d.what}</th>
              <th className="w-act2" />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid="deletion-conflict">
                <RecordCell title={c.rowTitle} table={c.table} />
                <td>
                  <div>{c.kind === 'added_to_deleted' && c.parent ? d.addedTo(c.parent.table, c.parent.title) : d.undone}</div>
                  <div className="muted small">{d.deletedAt(when(c.deletedAt))}</div>
                </td>
                <td className="row-actions">
                  <button type="button" onClick={() => onPick(c, 'restore')}>
                    {c.kind === 'added_to_deleted' ? d.restoreParent : d.keep}
                  </button>{' '}
                  <button type="button" onClick={() => onPick(c, 'delete')}>
                    {c.kind === 'added_to_deleted' ? d.deleteToo : d.deleteAgain}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
