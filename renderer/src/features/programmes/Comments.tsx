import { useState } from 'react';
import type { CommentTarget } from '../../../../db/schema';
import { call } from '../../bridge';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useActor } from './actor';

const when = (iso: string) => new Date(iso).toLocaleString('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A comment thread on a programme, a measure or a piece of evidence. */
export function Comments({ target, id, compact }: { target: CommentTarget; id: string; compact?: boolean }) {
  const list = useCall('comments.list', { target_table: target, target_id: id });
  const actorId = useActor((s) => s.actorId);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    if (busy) return;
    setBusy(true);
    const r = await call('comments.add', { target_table: target, target_id: id, body, author_id: actorId });
    setBusy(false);
    if (!r.ok) return setError(r.error.fields?.body ?? r.error.message);
    setBody('');
    setError(null);
    list.reload();
  };

  return (
    <div className={compact ? 'comments compact' : 'comments'}>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && <p className="muted small">{t.programmes.comments.none}</p>}
      <ul className="comment-list">
        {list.data?.map((c) => (
          <li key={c.id}>
            <div className="comment-head">
              <b>{c.author_name ?? t.programmes.comments.anonymous}</b> <span className="muted small">{when(c.created_at)}</span>
            </div>
            <div className="comment-body">{c.body}</div>
          </li>
        ))}
      </ul>
      <div className="comment-form">
        <textarea
          rows={2}
          value={body}
          placeholder={t.programmes.comments.placeholder}
          aria-label={t.programmes.comments.title}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="button" onClick={() => void send()} disabled={busy}>
          {t.programmes.comments.send}
        </button>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
