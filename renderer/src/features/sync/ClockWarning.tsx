import { useEffect } from 'react';
import { onEvent } from '../../bridge';
import { useCall } from '../../hooks/useCall';

/**
 * At the top of every screen while the laptop's clock is further from the regional server's
 * than the tolerance (core/rules/clock.ts): how far, and what to do. Checked again after each sync.
 */
export function ClockWarning() {
  const status = useCall('sync.status', {});
  const { reload } = status;
  useEffect(() => onEvent((e) => (e.type === 'sync.state' ? reload() : undefined)), [reload]);
  const clock = status.data?.clock;
  if (!clock) return null;
  return (
    <div className="form-error" role="alert" data-testid="clock-warning">
      {clock.message}
    </div>
  );
}
