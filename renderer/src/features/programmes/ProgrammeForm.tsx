import { useState } from 'react';
import { programmeKinds } from '../../../../core/contract/programmes';
import type { ProgrammeKind, Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useChangedSinceOpen, useCloseGuard } from '../../components/closeGuard';
import { DateInput } from '../../components/DateInput';
import { Modal } from '../../components/Modal';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { formKeys } from '../../components/forms';

const f = t.programmes.form;

interface Values {
  kind: ProgrammeKind;
  risk_factor_id: string;
  title: string;
  goal: string;
  target_indicators: string;
  period_from: string;
  period_to: string;
}

/**
 * Creates a programme for a school, or edits the passport of one (goal, target
 * indicators, period). Field errors from the core appear next to the fields; what was
 * typed stays when a save is refused.
 */
export function ProgrammeForm({ schoolId, programme, onClose, onSaved }: { schoolId: string; programme?: Row<'programmes'>; onClose: () => void; onSaved: (p: Row<'programmes'>) => void }) {
  const factors = useCall('riskFactors.list', {});
  const [v, setV] = useState<Values>({
    kind: programme?.kind ?? 'arp',
    risk_factor_id: programme?.risk_factor_id ?? '',
    title: programme?.title ?? '',
    goal: programme?.goal ?? '',
    target_indicators: programme?.target_indicators ?? '',
    period_from: programme?.period_from ?? '',
    period_to: programme?.period_to ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [closeQuestion, close] = useCloseGuard(useChangedSinceOpen(v), onClose);
  const set = (k: keyof Values) => (e: { target: { value: string } }) => {
    setV((x) => ({ ...x, [k]: e.target.value }));
    setErrors((x) => ({ ...x, [k]: '' }));
  };

  const submit = async () => {
    setBusy(true);
    const common = { title: v.title, goal: v.goal, target_indicators: v.target_indicators, period_from: v.period_from || null, period_to: v.period_to || null };
    const r = programme
      ? await call('programmes.update', { id: programme.id, patch: common })
      : await call('programmes.create', { school_id: schoolId, kind: v.kind, risk_factor_id: v.kind === 'arp' ? v.risk_factor_id || null : null, ...common });
    setBusy(false);
    if (!r.ok) {
      const fields: Record<string, string> = {};
      for (const [k, m] of Object.entries(r.error.fields ?? {})) fields[k.replace(/^patch\./, '')] = m;
      setErrors(fields);
      setBanner(r.error.message);
      return;
    }
    onSaved(r.value);
  };

  const err = (k: string) => (errors[k] ? <span className="field-error" role="alert">{errors[k]}</span> : null);
  const factorTitle = factors.data?.find((x) => x.id === v.risk_factor_id)?.title;

  return (
    <Modal
      title={programme ? t.programmes.editPassport : t.programmes.newProgramme}
      onClose={close}
      width={640}
      footer={
        <>
          <button type="button" onClick={close}>
            {t.common.cancel}
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
            {busy ? t.common.saving : t.common.save}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={formKeys(() => void submit())}
      >
        {closeQuestion}
        {banner && <div className="form-error">{banner}</div>}
        {!programme && (
          <label className="field">
            <span>{f.kind}</span>
            <select value={v.kind} onChange={set('kind')} aria-invalid={errors.kind ? true : undefined}>
              {programmeKinds.map((k) => (
                <option key={k} value={k}>
                  {t.programmes.kinds[k]}
                </option>
              ))}
            </select>
            {err('kind')}
          </label>
        )}
        {!programme && v.kind === 'arp' && (
          <label className="field">
            <span>{f.riskFactor}</span>
            <select
              value={v.risk_factor_id}
              onChange={(e) => {
                const title = factors.data?.find((x) => x.id === e.target.value)?.title;
                setV((x) => ({ ...x, risk_factor_id: e.target.value, title: x.title || (title ? `Антирисковая программа «${title}»` : '') }));
                setErrors((x) => ({ ...x, risk_factor_id: '' }));
              }}
              aria-invalid={errors.risk_factor_id ? true : undefined}
            >
              <option value="">{f.chooseFactor}</option>
              {factors.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.code}. {x.title}
                </option>
              ))}
            </select>
            {err('risk_factor_id')}
          </label>
        )}
        <label className="field">
          <span>{f.title}</span>
          <input value={v.title} onChange={set('title')} placeholder={v.kind === 'arp' && factorTitle ? undefined : t.programmes.kinds[v.kind]} aria-invalid={errors.title ? true : undefined} />
          {err('title')}
        </label>
        <label className="field">
          <span>{f.goal}</span>
          <textarea rows={3} value={v.goal} onChange={set('goal')} aria-invalid={errors.goal ? true : undefined} />
          {errors.goal ? err('goal') : <span className="field-hint">{f.goalHint}</span>}
        </label>
        <label className="field">
          <span>{f.targetIndicators}</span>
          <textarea rows={5} value={v.target_indicators} onChange={set('target_indicators')} aria-invalid={errors.target_indicators ? true : undefined} />
          {errors.target_indicators ? err('target_indicators') : <span className="field-hint">{f.targetHint}</span>}
        </label>
        <div className="form-row">
          <label className="field">
            <span>{f.periodFrom}</span>
            <DateInput value={v.period_from} onChange={(x) => set('period_from')({ target: { value: x ?? '' } })} invalid={!!errors.period_from} />
            {err('period_from')}
          </label>
          <label className="field">
            <span>{f.periodTo}</span>
            <DateInput value={v.period_to} onChange={(x) => set('period_to')({ target: { value: x ?? '' } })} invalid={!!errors.period_to} />
            {err('period_to')}
          </label>
        </div>
      </form>
    </Modal>
  );
}
