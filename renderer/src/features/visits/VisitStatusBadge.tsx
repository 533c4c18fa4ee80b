import type { VisitStatus } from '../../../../core/rules/visits';
import { daysText } from '../../../../core/format';
import { t } from '../../i18n/ru';

const CLASS: Record<VisitStatus, string> = { ok: 'badge ok', due: 'badge warn', overdue: 'badge danger', never: 'badge danger' };

/** The visit-compliance badge used by the schools list, the start page and the journal. */
export function VisitStatusBadge({ status, days }: { status: VisitStatus | null | undefined; days?: number | null }) {
  if (!status) return null;
  const label = t.visits.status[status]!;
  const title = days != null ? `${label}: последнее посещение ${t.visits.daysAgo(days)}` : label;
  return (
    <span className={CLASS[status]} title={title} data-visit-status={status}>
      {label}
      {days != null && status !== 'ok' ? ` · ${daysText(days)}` : ''}
    </span>
  );
}
