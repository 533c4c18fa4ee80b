import { useEffect, useState, type FormEvent } from 'react';
import type { SyncState } from '../../../../core/contract/sync';
import { call, onEvent } from '../../bridge';
import { Field } from '../../components/Field';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { FileEnrol, fileBase64 } from '../sync/FileEnrol';
import { FilePickButton } from '../../components/FilePickButton';

const s = t.setup;

/** Server answers that belong next to one field of the form (the rest go above the buttons). */
const FIELD_OF_CODE: Record<string, 'serverUrl' | 'code'> = {
  bad_code: 'code',
  used_code: 'code',
  expired_code: 'code',
  offline: 'serverUrl',
  server_error: 'serverUrl',
};

type Busy = 'enrol' | 'sync' | 'import' | null;

/**
 * First run, third way: join a district that already lives on other laptops. Enrol with the
 * server address and the one-time code, then the first sync (or a package file, once
 * enrolled) brings the district; the app leaves the first-run screen when it has arrived.
 */
export function JoinDistrict({ disabled }: { disabled: boolean }) {
  const refreshInfo = useApp((x) => x.refreshInfo);
  const [state, setState] = useState<SyncState | null>(null);
  const [open, setOpen] = useState(false);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [offline, setOfflineOpen] = useState(false);

  // A laptop enrolled earlier (the window was closed before the data came) continues from step two.
  useEffect(() => {
    void call('sync.status', {}).then((r) => {
      if (r.ok) {
        setState(r.value);
        if (r.value.enrolled) setOpen(true);
      }
    });
  }, []);

  useEffect(
    () =>
      onEvent((e) => {
        if (e.type === 'progress' && e.task.startsWith('sync') && e.total > 1) setProgress({ done: e.done, total: e.total });
      }),
    [],
  );

  /** After data arrived the app info has the district and App shows the main window; otherwise say why not. */
  async function finish(): Promise<void> {
    await refreshInfo();
    if (!useApp.getState().info?.district) setNotice(s.join.empty);
  }

  async function load(): Promise<void> {
    setBusy('sync');
    setError(null);
    setNotice(null);
    const r = await call('sync.now', {});
    setProgress(null);
    if (r.ok) {
      setState(r.value.state);
      await finish();
    } else setError(r.error.code === 'offline' ? s.join.offline : r.error.message);
    setBusy(null);
  }

  async function enrol(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy('enrol');
    setError(null);
    const r = await call('sync.enrol', { serverUrl, code });
    if (!r.ok) {
      setBusy(null);
      const field = FIELD_OF_CODE[r.error.code];
      if (r.error.fields) setErrors(r.error.fields);
      else if (field) setErrors({ [field]: field === 'serverUrl' && r.error.code === 'offline' ? s.join.offline : r.error.message });
      else {
        setErrors({});
        setError(r.error.message);
      }
      const first = r.error.fields ? Object.keys(r.error.fields)[0] : field;
      if (first) document.querySelector<HTMLInputElement>(`.setup-join [name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    setState(r.value);
    await load();
  }

  async function importFile(file: File): Promise<void> {
    setBusy('import');
    setError(null);
    setNotice(null);
    const r = await call('sync.import', { fileName: file.name, base64: await fileBase64(file) });
    setProgress(null);
    if (r.ok) {
      setState(r.value.state);
      await finish();
    } else setError(r.error.message);
    setBusy(null);
  }

  if (!open) {
    return (
      <div className="setup-demo">
        <div>
          <div className="setup-step">{s.join.title}</div>
          <p className="muted small">{s.join.hint}</p>
        </div>
        <button type="button" onClick={() => setOpen(true)} disabled={disabled}>
          {s.join.open}
        </button>
      </div>
    );
  }

  const enrolled = !!state?.enrolled;
  const status =
    busy === 'enrol' ? s.join.enrolling : busy === 'sync' ? s.join.loading : busy === 'import' ? s.usb.loading : null;

  return (
    <div className="setup-join" aria-busy={!!busy}>
      <h2 className="setup-step">{s.join.title}</h2>
      {offline && !enrolled ? null : !enrolled ? (
        <form onSubmit={(e) => void enrol(e)} noValidate>
          <p className="muted small">{s.join.hint}</p>
          <Field label={s.join.server} error={errors.serverUrl}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="serverUrl"
                value={serverUrl}
                onChange={(e) => setServerUrl(e.target.value)}
                placeholder={s.join.serverPlaceholder}
                aria-invalid={!!errors.serverUrl || undefined}
                aria-describedby={describedBy}
                autoComplete="url"
                autoFocus
              />
            )}
          </Field>
          <Field label={s.join.code} error={errors.code}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                placeholder={s.join.codePlaceholder}
                aria-invalid={!!errors.code || undefined}
                aria-describedby={describedBy}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          {error && (
            <div className="form-error" role="alert">
              {error}
            </div>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={!!busy || disabled}>
              {busy === 'enrol' ? s.join.enrolling : s.join.submit}
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={!!busy}>
              {s.join.cancel}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{state.server ? s.join.enrolled(state.districtName ?? '', state.server) : s.join.enrolledByFile(state.districtName ?? '')}</p>
          {error && (
            <div className="form-error" role="alert">
              {error}
            </div>
          )}
          {notice && !busy && (
            <p className="setup-notice" role="status">
              {notice}
            </p>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void load()} disabled={!!busy}>
              {busy === 'sync' ? s.join.loading : s.join.retry}
            </button>
            <FilePickButton onFile={(f) => void importFile(f)} disabled={!!busy} accept=".shnor,application/octet-stream" testId="setup-import-file">
              {s.usb.choose}
            </FilePickButton>
          </div>
          <p className="muted small">{s.usb.after}</p>
        </>
      )}
      {!enrolled && (
        <div className="setup-usb">
          <div className="setup-step">{offline ? t.sync.fileEnrol.title : s.usb.title}</div>
          {!offline && <p className="muted small">{s.usb.before}</p>}
          {offline ? (
            <>
              <FileEnrol
                disabled={disabled}
                onEnrolled={async (r) => {
                  setState(r.state);
                  await finish();
                }}
              />
              <button type="button" onClick={() => setOfflineOpen(false)}>
                {s.usb.back}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setOfflineOpen(true)} disabled={!!busy || disabled}>
              {s.usb.offline}
            </button>
          )}
        </div>
      )}
      {status && (
        <div className="setup-progress" role="status">
          <span>{status}</span>
          {progress && (
            <>
              <progress max={progress.total} value={progress.done} />
              <span className="muted small">{s.join.progress(progress.done, progress.total)}</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}
