import { useEffect, useState, type FormEvent } from 'react';
import { Route, Switch } from 'wouter';
import type { SyncState } from '../../../../core/contract/sync';
import { call, onEvent } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { LoadError } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { FileEnrol } from './FileEnrol';
import { NotConnectedCard, SyncStatusCard } from './SyncStatus';
import { Conflicts } from './Conflicts';
import { Refusals } from './Refusals';
import { FilePickButton } from '../../components/FilePickButton';

const s = t.sync;

/** Синхронизация: state and actions, and the Конфликты tab. */
export function SyncSection() {
  const status = useCall('sync.status', {});
  const conflicts = status.data?.conflicts ?? 0;
  const { reload } = status;
  // «Changes waiting» counts the change log, which every local write extends whatever table it names.
  useEffect(() => onEvent((e) => (e.type === 'sync.state' || e.type === 'data.changed' ? reload() : undefined)), [reload]);
  return (
    <section className="page page-narrow">
      <div className="page-head">
        <h1>{s.title}</h1>
      </div>
      <Tabs
        label={s.title}
        items={[
          { href: '/', label: s.tabs.state },
          {
            href: '/conflicts',
            label: (
              <>
                {s.tabs.conflicts}
                {conflicts ? <span className="badge danger count">{conflicts}</span> : null}
              </>
            ),
          },
        ]}
      />
      <Switch>
        <Route path="/conflicts" component={Conflicts} />
        <Route>{status.error ? <LoadError error={status.error} onRetry={status.reload} /> : status.data ? <StatePanel state={status.data} onChanged={status.reload} /> : <div className="loading">{t.common.loading}</div>}</Route>
      </Switch>
    </section>
  );
}

function StatePanel({ state, onChanged }: { state: SyncState; onChanged: () => void }) {
  const toast = useApp((x) => x.toast);
  const [busy, setBusy] = useState(false);
  const [dialog, confirm] = useConfirm();
  const [fileEnrolOpen, setFileEnrolOpen] = useState(false);

  /** Runs a sync action; a mass-delete refusal asks the user and retries with the confirmation. */
  async function run<T>(action: (confirmMassDelete: boolean) => Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>, done: (v: T) => string) {
    setBusy(true);
    try {
      let r = await action(false);
      if (!r.ok && r.error.code === 'mass_delete' && (await confirm({ title: s.massDelete.title, text: s.massDelete.body(r.error.message), confirmLabel: s.massDelete.confirm, danger: true }))) {
        r = await action(true);
      }
      if (r.ok) toast(done(r.value));
      else toast(r.error.message, { kind: 'error' });
    } finally {
      onChanged();
      setBusy(false);
    }
  }

  const exportFile = () =>
    run(
      (confirmMassDelete) => call('sync.export', { confirmMassDelete }),
      (v) => {
        const bytes = Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
        a.download = v.fileName;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        return s.file.exported(v.path);
      },
    );

  const importFile = async (file: File) => {
    const buf = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    const base64 = btoa(bin);
    await run((confirmMassDelete) => call('sync.import', { fileName: file.name, base64, confirmMassDelete }), (v) => s.file.imported(v.applied));
  };

  return (
    <>
      {dialog}
      <p className="muted intro">{s.intro}</p>
      {!state.enrolled ? (
        <>
          <NotConnectedCard state={state} />
          {!fileEnrolOpen && <EnrolForm onDone={onChanged} />}
          <div className="card">
            <h2 className="card-title">{s.fileEnrol.title}</h2>
            {fileEnrolOpen ? (
              <FileEnrol
                onEnrolled={(r) => {
                  toast(s.fileEnrol.done);
                  if (r.applied) void useApp.getState().refreshInfo();
                  onChanged();
                }}
              />
            ) : (
              <>
                <p className="muted">{s.fileEnrol.short}</p>
                <button type="button" onClick={() => setFileEnrolOpen(true)}>
                  {s.fileEnrol.open}
                </button>
              </>
            )}
          </div>
        </>
      ) : (
        <SyncStatusCard state={state} busy={busy} onSync={() => void run((confirmMassDelete) => call('sync.now', { confirmMassDelete }), (v) => s.nowDone(v.applied))} />
      )}
      {state.enrolled && <Refusals refusals={state.refusals} />}
      {state.enrolled && (
        <div className="card">
          <h2 className="card-title">{s.file.title}</h2>
          <p className="muted">{s.file.hint}</p>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void exportFile()}>
              {s.file.export}
            </button>
            <FilePickButton onFile={(f) => void importFile(f)} disabled={busy} accept=".shnor,application/octet-stream" testId="sync-import-file">
              {s.file.import}
            </FilePickButton>
          </div>
        </div>
      )}
      <p className="muted small">
        {s.state.device}: {state.deviceId}
      </p>
    </>
  );
}

function EnrolForm({ onDone }: { onDone: () => void }) {
  const toast = useApp((x) => x.toast);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('sync.enrol', { serverUrl, code });
    setBusy(false);
    if (r.ok) {
      setErrors({});
      setFormError(null);
      toast(s.enrol.done);
      onDone();
    } else {
      setErrors(r.error.fields ?? {});
      setFormError(r.error.fields ? null : r.error.message);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="card-title">{s.enrol.title}</h2>
      <p className="muted">{s.enrol.hint}</p>
      {formError && <div className="form-error" role="alert">{formError}</div>}
      <label className="field">
        <span>{s.enrol.server}</span>
        <input name="serverUrl" value={serverUrl} placeholder={s.enrol.serverPlaceholder} onChange={(e) => setServerUrl(e.target.value)} aria-invalid={!!errors.serverUrl} />
        {errors.serverUrl && <span className="field-error">{errors.serverUrl}</span>}
      </label>
      <label className="field">
        <span>{s.enrol.code}</span>
        <input name="code" value={code} placeholder={s.enrol.codePlaceholder} onChange={(e) => setCode(e.target.value)} aria-invalid={!!errors.code} autoComplete="off" />
        {errors.code && <span className="field-error">{errors.code}</span>}
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {s.enrol.submit}
        </button>
      </div>
    </form>
  );
}
