import { useState, type FormEvent } from 'react';
import type { SyncRunResult } from '../../../../core/contract/sync';
import { call } from '../../bridge';
import { Field } from '../../components/Field';
import { t } from '../../i18n/ru';
import { FilePickButton } from '../../components/FilePickButton';

const s = t.sync.fileEnrol;

export async function fileBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Offers bytes as a download (browser mode; in Electron the file is also in the data folder). */
export function download(base64: string, fileName: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Enrolment of a laptop that is never online: the one-time code → a request file for the
 * region → the region's reply file, which enrols the laptop and brings the district.
 * Used on the first-run screen and under Синхронизация.
 */
export function FileEnrol({ onEnrolled, disabled }: { onEnrolled: (r: SyncRunResult) => void | Promise<void>; disabled?: boolean }) {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'import' | null>(null);

  async function save(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy('save');
    setError(null);
    const r = await call('sync.enrolRequest', { code });
    setBusy(null);
    if (r.ok) {
      setErrors({});
      setSaved(r.value.path);
      download(r.value.base64, r.value.fileName);
    } else if (r.error.fields) {
      setErrors(r.error.fields);
      document.querySelector<HTMLInputElement>('.file-enrol [name="code"]')?.focus();
    } else setError(r.error.message);
  }

  async function importReply(file: File): Promise<void> {
    setBusy('import');
    setError(null);
    const r = await call('sync.enrolImport', { fileName: file.name, base64: await fileBase64(file) });
    setBusy(null);
    if (r.ok) await onEnrolled(r.value);
    else setError(r.error.message);
  }

  return (
    <form className="file-enrol" onSubmit={(e) => void save(e)} noValidate aria-busy={!!busy}>
      <p className="muted small">{s.hint}</p>
      <Field label={s.code} error={errors.code}>
        {({ id, describedBy }) => (
          <input
            id={id}
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={s.codePlaceholder}
            aria-invalid={!!errors.code || undefined}
            aria-describedby={describedBy}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      {saved && (
        <p className="setup-notice" role="status">
          {s.saved(saved)}
        </p>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={!!busy || disabled}>
          {busy === 'save' ? s.saving : s.save}
        </button>
        <FilePickButton className={saved ? 'primary' : undefined} onFile={(f) => void importReply(f)} disabled={!!busy || disabled} testId="enrol-reply-file">
          {busy === 'import' ? s.loading : s.reply}
        </FilePickButton>
      </div>
      <p className="muted small">{s.replyHint}</p>
    </form>
  );
}
