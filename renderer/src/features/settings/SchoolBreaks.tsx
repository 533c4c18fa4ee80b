import { useState, type FormEvent } from 'react';
import { formatDate } from '../../../../core/format';
import { call } from '../../bridge';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';

const ct = t.calendar;

interface Draft {
  title: string;
  date_from: string | null;
  date_to: string | null;
}

const EMPTY: Draft = { title: '', date_from: null, date_to: null };

/** Настройки → Каникулы: the district's school breaks, which visit schedules avoid (core/rules/workingDays.ts). */
export function SchoolBreaks() {
  const list = useCall('schoolBreaks.list', {});
  const { toast } = useApp();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const { date_from, date_to } = draft;
    if (!date_from || !date_to) {
      setErrors({ ...(date_from ? {} : { date_from: ct.dateMissing }), ...(date_to ? {} : { date_to: ct.dateMissing }) });
      return;
    }
    setBusy(true);
    const r = await call('schoolBreaks.save', { title: draft.title, date_from, date_to });
    setBusy(false);
    if (!r.ok) {
      setErrors(r.error.fields ?? { title: r.error.message });
      return;
    }
    setErrors({});
    setDraft(EMPTY);
    list.reload();
    toast(ct.added(r.value.title));
  };

  const remove = async (id: string, title: string) => {
    const r = await call('schoolBreaks.remove', { id });
    list.reload();
    if (r.ok) toast(ct.removed(title));
    else toast(r.error.message, { kind: 'error' });
  };

  return (
    <div className="card">
      <h2 className="card-title">{ct.breaks}</h2>
      <p className="muted intro">{ct.breaksIntro}</p>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data?.length === 0 && <EmptyState>{ct.none}</EmptyState>}
      {!!list.data?.length && (
        <table className="grid" aria-label={ct.breaks}>
          <tbody>
            {list.data.map((b) => (
              <tr key={b.id}>
                <td>{b.title}</td>
                <td>{ct.period(formatDate(b.date_from), formatDate(b.date_to))}</td>
                <td className="actions">
                  <button type="button" aria-label={ct.removeLabel(b.title)} onClick={() => void remove(b.id, b.title)}>
                    {ct.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form-row" noValidate onSubmit={(e) => void add(e)} aria-label={ct.add}>
        <Field label={ct.title} error={errors.title}>
          {({ id, describedBy }) => (
            <input id={id} value={draft.title} placeholder={ct.titlePlaceholder} aria-describedby={describedBy} aria-invalid={!!errors.title || undefined} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          )}
        </Field>
        <Field label={ct.from} error={errors.date_from}>
          {({ id, describedBy }) => <DateInput id={id} value={draft.date_from} describedBy={describedBy} invalid={!!errors.date_from} onChange={(v) => setDraft({ ...draft, date_from: v })} />}
        </Field>
        <Field label={ct.to} error={errors.date_to}>
          {({ id, describedBy }) => <DateInput id={id} value={draft.date_to} describedBy={describedBy} invalid={!!errors.date_to} onChange={(v) => setDraft({ ...draft, date_to: v })} />}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {ct.add}
        </button>
      </form>
    </div>
  );
}
