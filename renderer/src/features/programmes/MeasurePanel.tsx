/**
 * The side panel of one measure: its expected result, its supporting documents (files
 * dropped or picked, or links) with the curator's verdict and its history, and the
 * discussion of the measure.
 */
import { useEffect, useRef, useState } from 'react';
import { EVIDENCE_KINDS, formatFileSize, type EvidenceRow, type MeasureRow } from '../../../../core/contract/programmes';
import { lintDate } from '../../../../core/rules/dateLint';
import { confirmedButNotDone } from '../../../../core/rules/expertise';
import { allowedVerdicts } from '../../../../core/rules/verdicts';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { useCloseGuard } from '../../components/closeGuard';
import { Modal } from '../../components/Modal';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { disabledBy } from '../../hooks/useCan';
import { useCanHere } from './pageSchool';
import { Comments } from './Comments';
import { guessKind, openFile, readFileForUpload, saveCopy, titleFromFileName, type ReadFile } from './files';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { formKeys } from '../../components/forms';
import { districtDateTime } from '../../clock';

const p = t.programmes.panel;
const c = t.programmes.comments;

/** Attaches dropped files to a measure, one evidence row per file; returns messages for failures. */
export async function attachFiles(measureId: string, files: File[]): Promise<{ added: string[]; errors: string[] }> {
  const added: string[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const read = await readFileForUpload(f);
    if (!read.ok) {
      errors.push(read.message);
      continue;
    }
    const title = titleFromFileName(f.name);
    const r = await call('evidence.add', { measure_id: measureId, title, kind: guessKind(f.name, read.file.mime), file: { name: read.file.name, mime: read.file.mime, data: read.file.data } });
    if (r.ok) added.push(title);
    else errors.push(r.error.message);
  }
  return { added, errors };
}

export function MeasurePanel({ measure, onClose }: { measure: MeasureRow; onClose: () => void }) {
  const evidence = useCall('evidence.list', { measure_id: measure.id });
  const toast = useApp((s) => s.toast);
  const lint = lintDate(measure.date_text);
  const list = evidence.data ?? [];
  const orderOnly = list.length > 0 && list.every((e) => /приказ/i.test(e.kind));
  // The expertise counts a measure only when it is marked done.
  const confirmedNotDone = confirmedButNotDone(measure, list);
  const panelRef = useRef<HTMLElement>(null);
  const canEdit = useCanHere('programmes.edit');
  // What is typed in the attach form or the comment box and not yet sent: closing the panel asks first.
  const [evidenceUnsaved, setEvidenceUnsaved] = useState(false);
  const [commentUnsaved, setCommentUnsaved] = useState(false);
  const [closeQuestion, close] = useCloseGuard(evidenceUnsaved || commentUnsaved, onClose);

  useEffect(() => {
    panelRef.current?.focus();
  }, [measure.id]);

  return (
    <aside
      className="measure-panel"
      aria-label={measure.title || t.programmes.emptyTitle}
      tabIndex={-1}
      ref={panelRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented && (e.target as HTMLElement).tagName !== 'TEXTAREA') close();
      }}
    >
      <div className="panel-head">
        <h2>{measure.title || t.programmes.emptyTitle}</h2>
        <button type="button" className="icon" aria-label={p.close} onClick={close}>
          ×
        </button>
      </div>
      <div className="panel-body">
        <div className="panel-dates">
          <span className="muted small">{t.programmes.grid.dates}: </span>
          {measure.date_text || '—'} {lint.concrete ? <span className="badge ok">✓</span> : <span className="badge warn">⚠ {t.programmes.lintTitle}</span>}
          {lint.issue && measure.date_text && <div className="small lint-inline">{lint.issue.suggestion}</div>}
        </div>
        <ExpectedResult measure={measure} />

        <h3>{p.evidence}</h3>
        {measure.unplanned ? <div className="note warn small">{p.unplannedNote}</div> : null}
        {evidence.error && <LoadError error={evidence.error} onRetry={evidence.reload} />}
        {evidence.data && list.length === 0 && <p className="muted small">{p.noEvidence}</p>}
        {orderOnly && <div className="note warn small">{p.orderOnly}</div>}
        {confirmedNotDone && (
          <div className="note warn small" role="status">
            {p.confirmedNotDone(t.programmes.statuses[measure.status])}
          </div>
        )}
        <ul className="evidence-list">
          {list.map((e) => (
            <EvidenceItem key={e.id} e={e} />
          ))}
        </ul>
        {canEdit.allowed && (
          <AddEvidence
            measureId={measure.id}
            onUnsaved={setEvidenceUnsaved}
            onAdded={(title) => {
              toast(p.attached(title));
              evidence.reload();
            }}
          />
        )}

        <h3>{t.programmes.comments.title}</h3>
        <Comments target="measures" id={measure.id} compact onUnsaved={setCommentUnsaved} />
      </div>
      {closeQuestion}
    </aside>
  );
}

function ExpectedResult({ measure }: { measure: MeasureRow }) {
  const [value, setValue] = useState(measure.expected_result ?? '');
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanHere('programmes.edit');
  useEffect(() => setValue(measure.expected_result ?? ''), [measure.id, measure.expected_result]);
  const save = async () => {
    if ((measure.expected_result ?? '') === value.trim()) return;
    const r = await call('measures.update', { id: measure.id, patch: { expected_result: value } });
    setError(r.ok ? null : (r.error.fields?.['patch.expected_result'] ?? r.error.message));
  };
  return (
    <label className="field">
      <span>{p.expectedResult}</span>
      <textarea rows={2} value={value} onChange={(e) => setValue(e.target.value)} onBlur={() => void save()} aria-invalid={error ? true : undefined} {...disabledBy(canEdit)} />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

function EvidenceItem({ e }: { e: EvidenceRow }) {
  const toast = useApp((s) => s.toast);
  const canJudge = disabledBy(useCanHere('evidence.verdict'));
  const canEdit = disabledBy(useCanHere('programmes.edit'));
  const [dialog, confirm] = useConfirm();
  const undoableDelete = useUndoableDelete();
  const [rework, setRework] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [showThread, setShowThread] = useState(false);
  const allowed = allowedVerdicts(e.verdict);

  const download = async (open: boolean) => {
    const r = await call('evidence.download', { id: e.id });
    if (!r.ok) return toast(r.error.message, { kind: 'error' });
    (open ? openFile : saveCopy)(r.value);
  };

  const verdict = async (v: 'confirmed' | 'pending') => {
    const r = await call('evidence.setVerdict', { id: e.id, verdict: v });
    if (!r.ok) toast(r.error.message, { kind: 'error' });
  };

  return (
    <li className={`evidence verdict-${e.verdict}`} data-evidence-id={e.id}>
      {dialog}
      <div className="evidence-head">
        <span className={`badge ${e.verdict === 'confirmed' ? 'ok' : e.verdict === 'rework' ? 'danger' : ''}`}>{t.programmes.verdicts[e.verdict]}</span>
        <b className="evidence-title">{e.title}</b>
        <span className="muted small">{e.kind}</span>
      </div>
      <div className="evidence-meta small">
        {e.file_sha256 ? (
          e.file_present ? (
            <>
              {p.file}: {e.file_name} · {formatFileSize(e.file_size ?? 0)}{' '}
              <button type="button" className="link" onClick={() => void download(true)}>
                {p.open}
              </button>
              <button type="button" className="link" onClick={() => void download(false)}>
                {p.saveCopy}
              </button>
            </>
          ) : (
            <span className="field-error">
              {p.file}: {e.file_name} — {p.fileMissing}
            </span>
          )
        ) : null}
        {e.url && (
          <div>
            {p.link}:{' '}
            <a href={e.url} target="_blank" rel="noreferrer noopener">
              {e.url}
            </a>
          </div>
        )}
        <div className="muted">
          {p.uploaded}: {districtDateTime(e.uploaded_at)}
          {e.uploaded_by_name ? `, ${e.uploaded_by_name}` : ''}
        </div>
        {e.verdict !== 'pending' && e.verdict_at && (
          <div className="muted verdict-by">{p.verdictBy(t.programmes.verdicts[e.verdict], districtDateTime(e.verdict_at), e.verdict_by_name)}</div>
        )}
        {e.verdict === 'rework' && e.verdict_comment && <div className="note danger">✎ {e.verdict_comment}</div>}
      </div>
      <div className="evidence-actions">
        {allowed.includes('confirmed') && (
          <button type="button" className="primary" onClick={() => void verdict('confirmed')} {...canJudge}>
            {p.confirm}
          </button>
        )}
        {allowed.includes('rework') && (
          <button type="button" onClick={() => setRework(true)} {...canJudge}>
            {p.rework}
          </button>
        )}
        {allowed.includes('pending') && (
          <button type="button" onClick={() => void verdict('pending')} {...canJudge}>
            {p.backToReview}
          </button>
        )}
        <button type="button" className="link" onClick={() => setShowHistory((s) => !s)} aria-expanded={showHistory}>
          {p.history} ({e.history.length})
        </button>
        <button type="button" className="link thread-toggle" onClick={() => setShowThread((s) => !s)} aria-expanded={showThread}>
          {c.thread}
          {e.comments > 0 && <span className="badge count">{e.comments}</span>}
        </button>
        <button
          type="button"
          className="link danger-link"
          {...canEdit}
          onClick={async () => {
            if (await confirm({ text: p.confirmDeleteEvidence(e.title), confirmLabel: t.common.delete, danger: true })) {
              await undoableDelete(() => call('evidence.delete', { id: e.id }), p.evidenceDeleted);
            }
          }}
        >
          {p.deleteEvidence}
        </button>
      </div>
      {showHistory && (
        <ol className="verdict-history small">
          {e.history.map((h) => (
            <li key={h.id}>
              {districtDateTime(h.at)} — <b>{t.programmes.verdicts[h.verdict]}</b>
              {h.by_name ? `, ${h.by_name}` : ''}
              {h.comment ? `: ${h.comment}` : ''}
            </li>
          ))}
        </ol>
      )}
      {showThread && (
        <div className="evidence-thread">
          <Comments target="evidence" id={e.id} compact label={c.threadOf(e.title)} />
        </div>
      )}
      {rework && <ReworkDialog evidenceId={e.id} title={e.title} onClose={() => setRework(false)} />}
    </li>
  );
}

function ReworkDialog({ evidenceId, title, onClose }: { evidenceId: string; title: string; onClose: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [closeQuestion, close] = useCloseGuard(comment.trim() !== '', onClose);
  const submit = async () => {
    const r = await call('evidence.setVerdict', { id: evidenceId, verdict: 'rework', comment });
    if (!r.ok) return setError(r.error.fields?.comment ?? r.error.message);
    onClose();
  };
  return (
    <Modal
      title={p.reworkTitle}
      onClose={close}
      footer={
        <>
          <button type="button" onClick={close}>
            {t.common.cancel}
          </button>
          <button type="button" className="primary" onClick={() => void submit()}>
            {p.rework}
          </button>
        </>
      }
    >
      {closeQuestion}
      <p className="muted">«{title}»</p>
      <label className="field">
        <span>{p.reworkComment} *</span>
        <textarea
          rows={4}
          value={comment}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setComment(e.target.value);
            setError(null);
          }}
          onKeyDown={formKeys(() => void submit())}
        />
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </label>
    </Modal>
  );
}

function AddEvidence({ measureId, onAdded, onUnsaved }: { measureId: string; onAdded: (title: string) => void; onUnsaved: (unsaved: boolean) => void }) {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<string>('Протокол');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<ReadFile | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const unsaved = title.trim() !== '' || url.trim() !== '' || file !== null;
  useEffect(() => onUnsaved(unsaved), [unsaved, onUnsaved]);

  const take = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true);
    const read = await readFileForUpload(f);
    setBusy(false);
    if (!read.ok) {
      setFile(null);
      setErrors({ file: read.message });
      return;
    }
    setFile(read.file);
    setErrors({});
    if (!title.trim()) setTitle(titleFromFileName(f.name));
    setKind(guessKind(f.name, read.file.mime));
  };

  const submit = async () => {
    setBusy(true);
    const r = await call('evidence.add', {
      measure_id: measureId,
      title,
      kind,
      url: url || null,
      file: file ? { name: file.name, mime: file.mime, data: file.data } : null,
    });
    setBusy(false);
    if (!r.ok) {
      const f = r.error.fields ?? {};
      setErrors({ ...f, ...(Object.keys(f).length ? {} : { file: r.error.message }) });
      return;
    }
    onAdded(r.value.title);
    setTitle('');
    setUrl('');
    setFile(null);
    setErrors({});
    if (input.current) input.current.value = '';
  };

  return (
    <form
      className={`add-evidence${over ? ' drop-over' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void take(e.dataTransfer.files[0]);
      }}
    >
      <h4>{p.add}</h4>
      <label className="field">
        <span>{p.docTitle}</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={errors.title ? true : undefined} />
        {errors.title && <span className="field-error">{errors.title}</span>}
      </label>
      <label className="field">
        <span>{p.kind}</span>
        <input list="evidence-kinds" value={kind} onChange={(e) => setKind(e.target.value)} aria-invalid={errors.kind ? true : undefined} />
        <datalist id="evidence-kinds">
          {EVIDENCE_KINDS.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        {errors.kind && <span className="field-error">{errors.kind}</span>}
      </label>
      <div className="field">
        <span>{p.file}</span>
        <div className="file-pick">
          <button type="button" onClick={() => input.current?.click()}>
            {p.chooseFile}
          </button>
          <span className="muted small">{file ? p.fileChosen(file.name, formatFileSize(file.size)) : busy ? p.reading : p.dropHere}</span>
          <input ref={input} type="file" hidden aria-label={p.file} onChange={(e) => void take(e.target.files?.[0])} />
        </div>
        {errors.file && (
          <span className="field-error" role="alert">
            {errors.file}
          </span>
        )}
      </div>
      <label className="field">
        <span>{p.link}</span>
        <input value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} aria-invalid={errors.url ? true : undefined} />
        {errors.url && <span className="field-error">{errors.url}</span>}
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {p.attach}
      </button>
    </form>
  );
}
