/**
 * Синхронизация says where things stand: connected or not, the last successful exchange, the
 * changes waiting, the next automatic try, a transfer's progress and what to do now.
 */
import type { ReactNode } from 'react';
import type { SyncState } from '../../../../core/contract/sync';
import { formatFileSize } from '../../../../core/contract/programmes';
import { Facts } from '../../components/States';
import { districtDateTime, districtTime } from '../../clock';
import { t } from '../../i18n/ru';

const s = t.sync;
const st = t.syncStatus;

/** «в 14:05» for the next automatic try, null when none is planned. */
const nextTryText = (state: SyncState): string | null => (state.nextTryAt ? `в ${districtTime(state.nextTryAt)}` : null);

/** The one sentence of what to do, from the state alone. */
export function syncAdvice(state: SyncState): string {
  const next = nextTryText(state);
  if (!state.enrolled) return st.advice.notEnrolled(state.pending);
  if (!state.server) return st.advice.filesOnly;
  if (state.syncing) return st.advice.syncing;
  if (state.interrupted) return st.advice.interrupted(state.interrupted.changesSent, state.pending, next);
  if (state.online === false) return st.advice.offline(state.pending, next);
  if (state.lastError) return st.advice.failed;
  if (state.pending > 0) return st.advice.waiting(state.pending, next);
  if (state.conflicts > 0) return st.advice.conflicts(state.conflicts);
  return st.advice.allSent;
}

const durationText = (seconds: number): string => (seconds < 90 ? `${Math.max(1, Math.round(seconds))} с` : `${Math.round(seconds / 60)} мин`);

function TransferLine({ transfer }: { transfer: NonNullable<SyncState['transfer']> }) {
  const total = transfer.changesSent + transfer.changesLeft;
  const parts = [
    st.phase[transfer.phase],
    total ? st.sent(transfer.changesSent, transfer.changesLeft) : null,
    transfer.changesReceived ? st.received(transfer.changesReceived) : null,
    st.moved(formatFileSize(transfer.bytesDone), formatFileSize(transfer.bytesPerSecond)),
    transfer.secondsLeft !== null && transfer.secondsLeft > 0 ? st.left(durationText(transfer.secondsLeft)) : null,
  ].filter(Boolean);
  return (
    <div className="setup-progress" role="status" data-testid="sync-transfer">
      {total > 0 && <progress max={total} value={transfer.changesSent} aria-label={st.phase[transfer.phase]} />}
      <span>{parts.join(' · ')}</span>
      {transfer.retrying > 0 && <span className="muted">{st.retrying(transfer.retrying, 8)}</span>}
    </div>
  );
}

/** A laptop joined to a server (or exchanging by files): the facts, the progress, what to do, and «Синхронизировать сейчас» / «Продолжить». */
export function SyncStatusCard({ state, busy, onSync }: { state: SyncState; busy: boolean; onSync: () => void }) {
  const connection = state.syncing ? s.state.syncing : state.online === null ? s.state.unknown : state.online ? s.state.online : s.state.offline;
  return (
    <div className="card">
      <Facts
        items={[
          [s.state.server, state.server ?? s.state.filesOnly],
          [s.state.district, state.districtName],
          [s.state.connection, <span data-testid="sync-connection">{connection}</span>],
          [st.lastSync, <span data-testid="sync-last">{state.lastSync ? districtDateTime(state.lastSync) : s.state.never}</span>],
          [s.state.pending, <span data-testid="sync-pending">{state.pending}</span>],
          ...(state.server ? ([[st.nextTry, <span data-testid="sync-next">{state.nextTryAt ? districtDateTime(state.nextTryAt) : st.noNextTry}</span>]] as [string, ReactNode][]) : []),
          [s.state.conflicts, state.conflicts],
          ...(state.deferred ? ([[s.state.deferred, state.deferred]] as [string, number][]) : []),
        ]}
      />
      {state.transfer && <TransferLine transfer={state.transfer} />}
      {state.lastError && !state.syncing && (
        <div className="form-error" role="alert">
          {state.lastError}
        </div>
      )}
      <p data-testid="sync-advice">
        <strong>{st.whatToDo}:</strong> {syncAdvice(state)}
      </p>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || state.syncing || !state.server} onClick={onSync}>
          {state.interrupted ? st.resume : st.now}
        </button>
      </div>
    </div>
  );
}

/** A laptop not joined yet: says so, with the changes it keeps, before the join forms. */
export function NotConnectedCard({ state }: { state: SyncState }) {
  return (
    <div className="card" data-testid="sync-not-connected">
      <Facts
        items={[
          [s.state.connection, <span data-testid="sync-connection">{st.notConnected}</span>],
          [st.lastSync, <span data-testid="sync-last">{state.lastSync ? districtDateTime(state.lastSync) : s.state.never}</span>],
          [s.state.pending, <span data-testid="sync-pending">{state.pending}</span>],
        ]}
      />
      <p data-testid="sync-advice">
        <strong>{st.whatToDo}:</strong> {syncAdvice(state)}
      </p>
    </div>
  );
}
