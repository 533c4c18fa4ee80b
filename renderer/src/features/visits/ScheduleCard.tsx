import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { Result } from '../../../../core/contract';
import type { ScheduleCard } from '../../../../core/contract/visits';
import { formatDate } from '../../../../core/format';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateInput } from '../../components/DateInput';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { districtDateTime } from '../../clock';
import { disabledBy, useCan } from '../../hooks/useCan';

const v = t.visits;
const s = v.schedules;


/** One schedule: planned dates editable until the coordinator approves it (signed by the coordinator signed in). */
export function ScheduleCardPage({ id }: { id: string }) {
  const [, navigate] = useLocation();
  const toastUndoable = useApp((st) => st.toastUndoable);
  const [dialog, confirm] = useConfirm();
  const card = useCall('visitSchedules.get', { id });
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [newDate, setNewDate] = useState<string | null>(null);

  const canApprove = useCan('schedules.approve');
  const canEdit = useCan('schedules.edit', card.data?.schedule.school_id);

  if (card.error) return <LoadError error={card.error} onRetry={card.reload} />;
  if (!card.data) return <div className="loading">{t.common.loading}</div>;
  const { schedule, dates } = card.data;
  const locked = !!schedule.approved;
  // Dates can be changed only in a schedule not yet approved, by someone who may edit it.
  const fixed = locked || !canEdit.allowed;

  /** Runs a change of the schedule; the done call (with its undo step) or null when refused, with the reason shown. */
  const run = async (field: string, p: Promise<Result<unknown>>): Promise<{ step?: number } | null> => {
    const r = await p;
    if (r.ok) {
      setError(null);
      return r;
    }
    const fieldMessage = r.error.fields ? Object.values(r.error.fields)[0] : undefined;
    setError({ field, message: fieldMessage ?? r.error.message });
    return null;
  };

  async function removeDate(dateId: string) {
    const done = await run(dateId, call('visitSchedules.removeDate', { id: dateId }));
    if (done) toastUndoable(s.removed, done.step);
  }

  async function removeSchedule() {
    if (!(await confirm({ text: s.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    const done = await run('schedule', call('visitSchedules.delete', { id }));
    if (done) {
      toastUndoable(s.deleted, done.step);
      navigate('/schedules');
    }
  }

  return (
    <div className="schedule-card">
      {dialog}
      <div className="page-head">
        <h1>
          {s.title}: {card.data.school_name}
        </h1>
        <Link href={`/schedules/${id}/print`} className="button-link">
          {s.print}
        </Link>
      </div>
      <p>
        {v.journal.filterCurator}: <b>{card.data.curator_name}</b> · {formatDate(schedule.period_from)} – {formatDate(schedule.period_to)} · {v.stage[schedule.stage]}
      </p>
      {locked ? (
        <div className="card approved-box" role="status">
          <span className="approved-line">✓ {s.approvedBy(card.data.approved_by_name ?? '—', districtDateTime(schedule.approved_at))}</span>
          <p className="muted small">{s.readOnly}</p>
          <button type="button" onClick={() => void run('schedule', call('visitSchedules.reopen', { id }))} {...disabledBy(canApprove)}>
            {s.reopen}
          </button>
        </div>
      ) : (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => void run('approve', call('visitSchedules.approve', { id }))} {...disabledBy(canApprove)}>
            {s.approve}
          </button>
          {error?.field === 'approve' && <span className="field-error">{error.message}</span>}
          <span className="spacer" />
          <button type="button" className="danger" onClick={() => void removeSchedule()} {...disabledBy(canEdit)}>
            {t.common.delete}
          </button>
        </div>
      )}
      {error && error.field === 'schedule' && <div className="form-error">{error.message}</div>}
      {dates.length === 0 ? (
        <EmptyState>{s.noDates}</EmptyState>
      ) : (
        <table className="grid schedule-dates">
          <thead>
            <tr>
              <th style={{ width: 40 }}>№</th>
              <th style={{ width: 170 }}>{s.plannedDate}</th>
              <th>{s.note}</th>
              <th style={{ width: 130 }}>{s.visited}</th>
              {!fixed && <th style={{ width: 90 }} />}
            </tr>
          </thead>
          <tbody>
            {dates.map((d, i) => (
              <DateRow key={d.id} n={i + 1} row={d} locked={fixed} error={error?.field === d.id ? error.message : null} onMove={async (date, note) => (await run(d.id, call('visitSchedules.moveDate', { id: d.id, planned_date: date ?? '', note }))) !== null} onRemove={() => void removeDate(d.id)} />
            ))}
          </tbody>
        </table>
      )}
      {!fixed && (
        <div className="toolbar add-date">
          <DateInput value={newDate} onChange={setNewDate} />
          <button
            type="button"
            onClick={async () => {
              if (await run('add', call('visitSchedules.addDate', { schedule_id: id, planned_date: newDate ?? '' }))) setNewDate(null);
            }}
          >
            + {s.addDate}
          </button>
          {error?.field === 'add' && <span className="field-error">{error.message}</span>}
        </div>
      )}
    </div>
  );
}

function DateRow({
  n,
  row,
  locked,
  error,
  onMove,
  onRemove,
}: {
  n: number;
  row: ScheduleCard['dates'][number];
  locked: boolean;
  error: string | null;
  onMove: (date: string | null, note: string) => Promise<boolean>;
  onRemove: () => void;
}) {
  const [date, setDate] = useState<string | null>(row.planned_date);
  const [note, setNote] = useState(row.note ?? '');
  const changed = date !== row.planned_date || note !== (row.note ?? '');
  const commit = () => {
    if (changed) void onMove(date, note);
  };
  return (
    <tr>
      <td>{n}</td>
      <td>
        {locked ? (
          formatDate(row.planned_date)
        ) : (
          <>
            <DateInput value={date} invalid={!!error} onChange={setDate} onBlur={commit} />
            {error && <div className="field-error">{error}</div>}
          </>
        )}
      </td>
      <td>{locked ? row.note : <input value={note} aria-label={s.note} onChange={(e) => setNote(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />}</td>
      <td>{row.visited ? <span className="badge ok">{formatDate(row.visited)}</span> : <span className="muted">{s.notYet}</span>}</td>
      {!locked && (
        <td>
          <button type="button" className="link" onClick={onRemove}>
            {s.remove}
          </button>
        </td>
      )}
    </tr>
  );
}

/** A print-friendly sheet; the reports engineer provides DOCX/XLSX. */
export function SchedulePrint({ id }: { id: string }) {
  const card = useCall('visitSchedules.get', { id });
  const info = useApp((st) => st.info);
  if (card.error) return <LoadError error={card.error} />;
  if (!card.data) return <div className="loading">{t.common.loading}</div>;
  const { schedule, dates } = card.data;
  return (
    <section className="page print-sheet">
      <div className="no-print toolbar">
        <Link href={`/schedules/${id}`}>← {t.common.back}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {s.print}
        </button>
      </div>
      <p className="print-right">{schedule.approved ? s.approvedBy(card.data.approved_by_name ?? '—', districtDateTime(schedule.approved_at)) : s.printSign}</p>
      <h1 className="print-title">{s.printTitle}</h1>
      <p>
        {info?.district?.name}
        <br />
        Школа: <b>{card.data.school_name}</b>
        <br />
        Куратор: <b>{card.data.curator_name}</b>
        <br />
        Период: {formatDate(schedule.period_from)} – {formatDate(schedule.period_to)} · Этап: {v.stage[schedule.stage]}
      </p>
      <table className="grid print-table">
        <thead>
          <tr>
            <th style={{ width: 40 }}>№</th>
            <th style={{ width: 140 }}>{s.plannedDate}</th>
            <th>{s.note}</th>
            <th style={{ width: 160 }}>Отметка о посещении</th>
          </tr>
        </thead>
        <tbody>
          {dates.map((d, i) => (
            <tr key={d.id}>
              <td>{i + 1}</td>
              <td>{formatDate(d.planned_date)}</td>
              <td>{d.note}</td>
              <td>{d.visited ? formatDate(d.visited) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
