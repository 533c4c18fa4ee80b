import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { formatDate } from '../../../../core/format';
import { stageLimits } from '../../../../core/rules/visits';
import { call } from '../../bridge';
import { useChangedSinceOpen, useCloseGuard } from '../../components/closeGuard';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { formKeys } from '../../components/forms';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { rowLink } from '../../components/rowLink';
import { disabledBy } from '../../hooks/useCan';
import { useCanAnywhere } from '../../hooks/useCanAnywhere';
import { useCuratorSelf } from './curatorSelf';

const v = t.visits;
const s = v.schedules;

/** Visit schedules per curator and school; a new one is calculated from the stage rule. */
export function ScheduleList() {
  const [, navigate] = useLocation();
  const list = useCall('visitSchedules.list', {});
  const [creating, setCreating] = useState(false);
  const canPlan = useCanAnywhere('schedules.edit');
  return (
    <>
      <div className="page-head">
        <h1>{v.tabs.schedules}</h1>
        {!creating && !canPlan.never && (
          <button type="button" className="primary" onClick={() => setCreating(true)} {...disabledBy(canPlan.decision)}>
            {s.add}
          </button>
        )}
      </div>
      {creating && <GenerateForm onCancel={() => setCreating(false)} onDone={(id) => navigate(`/schedules/${id}`)} />}
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && !creating && <EmptyState>{s.empty}</EmptyState>}
      {list.data && list.data.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{s.col.school}</th>
              <th>{s.col.curator}</th>
              <th>{s.col.period}</th>
              <th>{s.col.stage}</th>
              <th>{s.col.planned}</th>
              <th>{s.col.state}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((r) => (
              <tr
                key={r.id}
                {...rowLink(navigate, `/schedules/${r.id}`)}
              >
                <td>{r.school_name}</td>
                <td>{r.curator_name}</td>
                <td>
                  {formatDate(r.period_from)} – {formatDate(r.period_to)}
                </td>
                <td>{v.stageShort[r.stage]}</td>
                <td>{r.planned}</td>
                <td>{r.approved ? <span className="badge ok">{s.approved}</span> : <span className="badge muted">{s.draft}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function GenerateForm({ onCancel, onDone }: { onCancel: () => void; onDone: (id: string) => void }) {
  const options = useCall('visits.options', {});
  const district = useApp((st) => st.info?.district);
  const self = useCuratorSelf();
  const [school, setSchool] = useState('');
  const [curator, setCurator] = useState(self?.personId ?? '');
  const schools = (options.data?.schools ?? []).filter((x) => !self || self.schoolIds.has(x.id));
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [closeQuestion, close] = useCloseGuard(useChangedSinceOpen({ school, curator, from, to }), onCancel);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    const r = await call('visitSchedules.generate', { school_id: school, curator_id: curator, period_from: from ?? '', period_to: to ?? '' });
    setBusy(false);
    if (r.ok) return onDone(r.value.id);
    setErrors(r.error.fields ?? {});
    setBanner(r.error.message);
  }

  return (
    <form className="card" onSubmit={submit} onKeyDown={formKeys(() => void submit(), close)} noValidate>
      {closeQuestion}
      <h2 className="card-title">{s.generateTitle}</h2>
      {banner && (
        <div className="form-error" role="alert">
          {banner}
        </div>
      )}
      <div className="form-grid">
        <Field label={s.col.school} error={errors.school_id} required>
          {({ id, describedBy }) => (
            <select
              id={id}
              autoFocus
              value={school}
              aria-invalid={!!errors.school_id || undefined}
              aria-describedby={describedBy}
              onChange={(e) => {
                setSchool(e.target.value);
                const found = options.data?.schools.find((x) => x.id === e.target.value);
                if (found && !curator) setCurator(found.curator_ids[0] ?? '');
              }}
            >
              <option value="">{t.common.nothingChosen}</option>
              {schools.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name} — {v.stageShort[x.stage]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={s.col.curator} error={errors.curator_id} required>
          {({ id, describedBy }) => (
            <select
              id={id}
              value={curator}
              aria-invalid={!!errors.curator_id || undefined}
              aria-describedby={describedBy}
              onChange={(e) => setCurator(e.target.value)}
              disabled={!!self}
              title={self ? v.form.curatorIsYou : undefined}
            >
              <option value="">{t.common.nothingChosen}</option>
              {options.data?.curators.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={s.periodFrom} error={errors.period_from} required>
          {({ id, describedBy }) => <DateInput id={id} value={from} invalid={!!errors.period_from} describedBy={describedBy} onChange={setFrom} />}
        </Field>
        <Field label={s.periodTo} error={errors.period_to} required>
          {({ id, describedBy }) => <DateInput id={id} value={to} invalid={!!errors.period_to} describedBy={describedBy} onChange={setTo} />}
        </Field>
      </div>
      {district && <p className="field-hint">{s.ruleHint(stageLimits('forming', district).due, stageLimits('implementing', district).due)}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {s.generate}
        </button>
        <button type="button" onClick={close}>
          {t.common.cancel}
        </button>
      </div>
    </form>
  );
}
