import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { eventKinds } from '../../../../core/contract/fieldEvents';
import type { EventKind } from '../../../../db/schema';
import { call } from '../../bridge';
import { useChangedSinceOpen, useCloseGuard } from '../../components/closeGuard';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { formKeys } from '../../components/forms';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';
import { FormButtons } from '../../components/FormButtons';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { districtToday } from '../../clock';

const e = t.visits.events;

interface Row {
  key: string;
  school_id: string;
  person_id: string;
  attended: boolean;
}

let seq = 0;
const row = (r: Partial<Row> = {}): Row => ({ key: `a${++seq}`, school_id: '', person_id: '', attended: true, ...r });

/** An event with attendance by school and person. */
export function EventForm({ id }: { id?: string }) {
  const [, navigate] = useLocation();
  const toast = useApp((s) => s.toast);
  const undoableDelete = useUndoableDelete();
  const [dialog, confirm] = useConfirm();
  const options = useCall('visits.options', {});
  const [loaded, setLoaded] = useState(!id);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [date, setDate] = useState<string | null>(districtToday());
  const [kind, setKind] = useState<EventKind | ''>('');
  const [title, setTitle] = useState('');
  const [organiser, setOrganiser] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const may = useCan('events.edit');
  const [closeQuestion, close] = useCloseGuard(useChangedSinceOpen({ date, kind, title, organiser, rows }, loaded), () => navigate('/events'));

  useEffect(() => {
    if (!id) return;
    void call('events.get', { id }).then((r) => {
      if (!r.ok) return setLoadError(r.error.message);
      const ev = r.value.event;
      setDate(ev.date);
      setKind(ev.kind);
      setTitle(ev.title);
      setOrganiser(ev.organiser ?? '');
      setRows(r.value.attendance.map((a) => row({ school_id: a.school_id ?? '', person_id: a.person_id ?? '', attended: !!a.attended })));
      setLoaded(true);
    });
  }, [id]);

  const personOptions = [...(options.data?.curators ?? []), ...(options.data?.coordinators ?? [])].filter((p, i, all) => all.findIndex((x) => x.id === p.id) === i);

  async function submit(ev?: FormEvent) {
    ev?.preventDefault();
    if (!may.allowed) return;
    setBusy(true);
    const r = await call('events.save', {
      ...(id ? { id } : {}),
      date: date ?? '',
      kind: (kind || undefined) as EventKind,
      title,
      organiser,
      attendance: rows.map((a) => ({ school_id: a.school_id || null, person_id: a.person_id || null, attended: a.attended })),
    });
    setBusy(false);
    if (r.ok) {
      toast(e.saved);
      navigate('/events');
      return;
    }
    setErrors(r.error.fields ?? {});
    setBanner(r.error.message);
  }

  async function remove() {
    if (!id || !(await confirm({ text: e.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    if (!(await undoableDelete(() => call('events.delete', { id }), e.deleted))) return;
    navigate('/events');
  }

  if (loadError) return <LoadError error={{ code: 'load', message: loadError }} />;
  if (!loaded) return <div className="loading">{t.common.loading}</div>;
  const set = (key: string, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form onSubmit={submit} onKeyDown={formKeys(() => void submit(), close)} noValidate>
      {dialog}
      {closeQuestion}
      <div className="page-head">
        <h1>{id ? e.editTitle : e.newTitle}</h1>
      </div>
      {!may.allowed && (
        <div className="note small" role="status">
          {t.visits.form.readOnly}: {may.reason}
        </div>
      )}
      <fieldset className="bare" disabled={!may.allowed}>
        {banner && (
          <div className="form-error" role="alert">
            {banner}
          </div>
        )}
        <div className="form-grid">
          <Field label={e.date} error={errors.date} required>
            {({ id: fid, describedBy }) => <DateInput id={fid} value={date} invalid={!!errors.date} describedBy={describedBy} onChange={setDate} />}
          </Field>
          <Field label={e.kind} error={errors.kind} required>
            {({ id: fid, describedBy }) => (
              <select id={fid} value={kind} aria-invalid={!!errors.kind || undefined} aria-describedby={describedBy} onChange={(x) => setKind(x.target.value as EventKind)}>
                <option value="">{t.common.nothingChosen}</option>
                {eventKinds.map((k) => (
                  <option key={k} value={k}>
                    {e.kinds[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={e.organiser} hint={e.organiserHint} error={errors.organiser}>
            {({ id: fid, describedBy }) => <input id={fid} value={organiser} list="event-organisers" aria-describedby={describedBy} onChange={(x) => setOrganiser(x.target.value)} />}
          </Field>
        </div>
        <datalist id="event-organisers">
          {['ФИОКО', 'ИРО', 'УО', 'Минпросвещения России'].map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <Field label={e.title} error={errors.title} required>
          {({ id: fid, describedBy }) => <input id={fid} value={title} aria-invalid={!!errors.title || undefined} aria-describedby={describedBy} onChange={(x) => setTitle(x.target.value)} />}
        </Field>
        <fieldset className="steps">
          <legend>{e.attendance}</legend>
          <p className="field-hint">{e.attendanceHint}</p>
          {rows.map((a, i) => (
            <div className="step-row" key={a.key}>
              <select aria-label={`${e.school} ${i + 1}`} value={a.school_id} onChange={(x) => set(a.key, { school_id: x.target.value })}>
                <option value="">— {e.school} —</option>
                {options.data?.schools.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <select aria-label={`${e.person} ${i + 1}`} value={a.person_id} onChange={(x) => set(a.key, { person_id: x.target.value })}>
                <option value="">— {e.person} —</option>
                {personOptions.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <label className="check">
                <input type="checkbox" checked={a.attended} onChange={(x) => set(a.key, { attended: x.target.checked })} />
                <span>{e.attended}</span>
              </label>
              <button type="button" className="icon" aria-label={t.common.delete} onClick={() => setRows((rs) => rs.filter((r) => r.key !== a.key))}>
                ×
              </button>
              {errors[`attendance.${i}`] && <span className="field-error">{errors[`attendance.${i}`]}</span>}
            </div>
          ))}
          <div className="actions">
            <button type="button" onClick={() => setRows((rs) => [...rs, row()])}>
              + {e.addRow}
            </button>
            <button
              type="button"
              onClick={() =>
                setRows((rs) => [...rs, ...(options.data?.schools ?? []).filter((s) => !rs.some((r) => r.school_id === s.id && !r.person_id)).map((s) => row({ school_id: s.id }))])
              }
            >
              {e.allSchools}
            </button>
          </div>
        </fieldset>
      </fieldset>
      <FormButtons variant="inline" busy={busy} saveDisabled={!may.allowed} onCancel={close} onDelete={id && may.allowed ? () => void remove() : undefined} />
    </form>
  );
}
