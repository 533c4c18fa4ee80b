import { useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../core/contract/backup';
import { formatFileSize } from '../../../../core/contract/programmes';
import { call, onEvent } from '../../bridge';
import { districtDateTime } from '../../clock';
import { Modal } from '../../components/Modal';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';

const bt = t.backups;

interface Progress {
  done: number;
  total: number;
  label?: string;
}

/** Настройки → Резервные копии: the list, «Создать копию сейчас», and «Восстановить» after a confirmation. */
export function Backups() {
  const list = useCall('backups.list', {});
  const { toast, refreshInfo } = useApp();
  const [busy, setBusy] = useState<'create' | 'restore' | null>(null);
  const [asking, setAsking] = useState<BackupInfo | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(
    () =>
      onEvent((e) => {
        if (e.type === 'progress' && e.task === 'backup.restore') setProgress({ done: e.done, total: e.total, label: e.label });
      }),
    [],
  );

  const create = async () => {
    setBusy('create');
    setFailure(null);
    const r = await call('backups.create', {});
    setBusy(null);
    list.reload();
    if (r.ok) toast(bt.created(districtDateTime(r.value.createdAt)));
    else setFailure(r.error.message);
  };

  const restore = async (b: BackupInfo) => {
    setAsking(null);
    setBusy('restore');
    setFailure(null);
    setProgress({ done: 0, total: 1 });
    const r = await call('backups.restore', { id: b.id });
    setBusy(null);
    setProgress(null);
    list.reload();
    if (!r.ok) {
      setFailure(r.error.message);
      return;
    }
    await refreshInfo();
    toast(bt.restored(districtDateTime(b.createdAt)));
    if (r.value.missingFiles > 0) toast(bt.missingFiles(r.value.missingFiles), { kind: 'error' });
  };

  const backups = list.data?.backups;
  return (
    <div className="card" aria-busy={busy !== null || undefined}>
      <div className="card-head">
        <h2 className="card-title">{bt.title}</h2>
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void create()}>
          {busy === 'create' ? bt.creating : bt.createNow}
        </button>
      </div>
      <p className="muted intro">{bt.intro}</p>
      {list.data && (
        <p className="muted small">
          {bt.folder}: <code>{list.data.dir}</code>
        </p>
      )}
      {failure && (
        <div className="form-error" role="alert">
          {failure}
        </div>
      )}
      {busy === 'restore' && progress && (
        <div className="setup-progress" role="status">
          <span>{progress.label ?? bt.restoring}</span>
          <progress max={progress.total} value={progress.done} />
        </div>
      )}
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {!backups ? (
        !list.error && <div className="loading">{t.common.loading}</div>
      ) : backups.length === 0 ? (
        <EmptyState>{bt.empty}</EmptyState>
      ) : (
        <table className="grid" aria-label={bt.title}>
          <thead>
            <tr>
              <th>{bt.col.at}</th>
              <th>{bt.col.kind}</th>
              <th>{bt.col.size}</th>
              <th className="w-act2" />
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.id}>
                <td className="nowrap">{districtDateTime(b.createdAt)}</td>
                <td>{bt.kinds[b.kind]}</td>
                <td className="nowrap">{formatFileSize(b.size)}</td>
                <td className="row-actions">
                  <button type="button" disabled={busy !== null} aria-label={bt.restoreLabel(districtDateTime(b.createdAt))} onClick={() => setAsking(b)}>
                    {bt.restore}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asking && <ConfirmRestore backup={asking} onCancel={() => setAsking(null)} onConfirm={() => void restore(asking)} />}
    </div>
  );
}

/** Says what a restore does; focus starts on «Отмена», the safe choice. */
function ConfirmRestore({ backup, onCancel, onConfirm }: { backup: BackupInfo; onCancel: () => void; onConfirm: () => void }) {
  const at = districtDateTime(backup.createdAt);
  return (
    <Modal
      title={bt.confirm.title}
      onClose={onCancel}
      width={500}
      footer={
        <>
          <button type="button" autoFocus onClick={onCancel}>
            {t.common.cancel}
          </button>
          <button type="button" className="primary danger-fill" onClick={onConfirm}>
            {bt.confirm.ok}
          </button>
        </>
      }
    >
      <p className="confirm-text">
        <strong>{bt.confirm.lead(at)}</strong>
      </p>
      <ul className="confirm-text">
        <li>{bt.confirm.saved}</li>
        <li>{bt.confirm.lost}</li>
        <li>{bt.confirm.sync}</li>
      </ul>
    </Modal>
  );
}
