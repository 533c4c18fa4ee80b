import { useEffect, useState } from 'react';
import type { CommentTarget } from '../../../../db/schema';
import { call } from '../../bridge';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { disabledBy } from '../../hooks/useCan';
import { useCanHere, useSignerName } from './pageSchool';
import { formKeys } from '../../components/forms';
import { districtDateTime } from '../../clock';

const c = t.programmes.comments;

/**
 * A comment thread on a programme, a measure or a piece of evidence, signed by the signed-in person.
 * `label` names the text box for screen readers when several threads share a panel;
 * `onUnsaved` tells the panel around it whether a comment is typed and not yet sent.
 */
export function Comments({ target, id, compact, label, onUnsaved }: { target: CommentTarget; id: string; compact?: boolean; label?: string; onUnsaved?: (unsaved: boolean) => void }) {
  const list = useCall('comments.list', { target_table: target, target_id: id });
  const signer = useSignerName();
  const may = useCanHere('comments.add');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unsaved = body.trim() !== '';
  useEffect(() => onUnsaved?.(unsaved), [unsaved, onUnsaved]);

  const send = async () => {
    if (busy) return;
    setBusy(true);
    const r = await call('comments.add', { target_table: target, target_id: id, body });
    setBusy(false);
    // What was typed stays in the box when the core refuses it.
    if (!r.ok) return setError(r.error.fields?.body ?? r.error.message);
    setBody('');
    setError(null);
    list.reload();
  };

  return (
    <div className={compact ? 'comments compact' : 'comments'}>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && <p className="muted small comments-none">{c.none}</p>}
      {list.data && list.data.length > 0 && (
        <ul className="comment-list">
          {list.data.map((x) => (
            <li key={x.id}>
              <div className="comment-head">
                <b>{x.author_name ?? c.anonymous}</b> <span className="muted small">{districtDateTime(x.created_at)}</span>
              </div>
              <div className="comment-body">{x.body}</div>
            </li>
          ))}
        </ul>
      )}
      <div className="comment-form">
        <textarea
          rows={2}
          value={body}
          placeholder={c.placeholder}
          aria-label={label ?? c.title}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            setError(null);
          }}
          onKeyDown={formKeys(() => void send())}
          {...disabledBy(may)}
        />
        <button type="button" onClick={() => void send()} disabled={busy || !may.allowed} title={may.allowed ? undefined : may.reason}>
          {c.send}
        </button>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      <div className="muted small comment-signer">{signer ? c.signedAs(signer) : c.unsigned}</div>
    </div>
  );
}
