import { formatDate } from '../../../../core/format';
import type { TrashItem } from '../../../../core/contract/app';
import { call } from '../../bridge';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { disabledBy, useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';

const tr = t.common.trash;

/** Soft-deleted rows, newest first, each with «Восстановить». */
export function TrashSection() {
  const items = useCall('trash.list', {});
  const toast = useApp((s) => s.toast);
  const may = disabledBy(useCan('trash.restore'));

  const restore = async (item: TrashItem) => {
    const r = await call('trash.restore', { table: item.table, id: item.id });
    if (r.ok) toast(tr.restored(item.title));
    else toast(r.error.message, { kind: 'error' });
  };

  return (
    <section className="page page-narrow">
      <div className="page-head">
        <h1>{tr.title}</h1>
      </div>
      <p className="muted intro">{tr.intro}</p>
      {items.error && <LoadError error={items.error} onRetry={items.reload} />}
      {!items.data ? (
        !items.error && <div className="loading">{t.common.loading}</div>
      ) : items.data.length === 0 ? (
        <EmptyState>{tr.empty}</EmptyState>
      ) : (
        <div className="card flush">
          <table className="grid" aria-label={tr.title}>
            <thead>
              <tr>
                <th className="w-kind">{tr.col.kind}</th>
                <th>{tr.col.title}</th>
                <th className="w-date">{tr.col.deleted}</th>
                <th className="w-act2" />
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={`${item.table}:${item.id}`}>
                  <td className="muted">{tr.kinds[item.table] ?? item.table}</td>
                  <td>{item.title}</td>
                  <td className="nowrap">{formatDate(item.deleted_at)}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => void restore(item)} {...may}>
                      {t.common.restore}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
