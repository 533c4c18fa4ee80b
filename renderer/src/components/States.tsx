import type { ReactNode } from 'react';
import type { ErrorData } from '../../../core/contract';
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
