import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { ErrorData } from '../../../core/contract';
import type { CallState } from '../hooks/useCall';
import { t } from '../i18n/ru';

/** What a screen shows when it has nothing to show, with the way forward. */
export function EmptyState({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <div>{children}</div>
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function LoadError({ error, onRetry }: { error: ErrorData; onRetry?: () => void }) {
  return (
    <div className="form-error" role="alert">
      {error.message}{' '}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t.common.retry}
        </button>
      )}
    </div>
  );
}

/** A read-only «label: value» list for cards. */
export function Facts({ items }: { items: [label: ReactNode, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value], i) => (
        <div key={i} className="fact">
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A card page's loading, «not found» and error states around the loaded card. */
export function CardLoader<T>({ state, backLabel, notFound, children }: { state: CallState<T>; backLabel: string; notFound: string; children: (data: T) => ReactNode }) {
  if (state.error) {
    return (
      <section className="page">
        <Link href="/" className="back">
          ← {backLabel}
        </Link>
        {state.error.code === 'not_found' ? <EmptyState>{notFound}</EmptyState> : <LoadError error={state.error} onRetry={state.reload} />}
      </section>
    );
  }
  if (!state.data) return <div className="loading">{t.common.loading}</div>;
  return <>{children(state.data)}</>;
}
