import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'wouter';
import type { z } from 'zod';
import { schoolInput, schoolKinds, type SchoolCard } from '../../../../core/contract/schools';
import { personShort } from '../../../../core/format';
import { call } from '../../bridge';
import { useCloseGuard } from '../../components/closeGuard';
import { CheckField, Field } from '../../components/Field';
import { applyServerError, focusFirstError, formKeys, numberOrNull } from '../../components/forms';
import { LookupField } from '../../components/LookupField';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { searchPeople } from '../people/lookup';
import { FormButtons } from '../../components/FormButtons';

const s = t.schools;
type Values = z.input<typeof schoolInput>;
type Parsed = z.output<typeof schoolInput>;

const FIELDS = ['full_name', 'short_name', 'kind', 'is_participant', 'cohort_year', 'risk_group', 'director_id', 'stage', 'address', 'site_url', 'notes'] as const;

const blank: Values = {
  full_name: '',
  short_name: '',
  kind: 'СОШ',
  is_participant: true,
  cohort_year: null,
  risk_group: '',
  director_id: null,
  stage: 'forming',
  address: '',
  site_url: '',
  notes: '',
};

function valuesOf(card: SchoolCard): Values {
  const r = card.school;
  return {
    full_name: r.full_name,
    short_name: r.short_name,
    kind: (schoolKinds as readonly string[]).includes(r.kind) ? (r.kind as Values['kind']) : 'Другое',
    is_participant: r.is_participant === 1,
    cohort_year: r.cohort_year,
    risk_group: r.risk_group ?? '',
    director_id: r.director_id,
    stage: r.stage,
    address: r.address ?? '',
    site_url: r.site_url ?? '',
    notes: r.notes ?? '',
  };
}

/** Create (no id) or edit a school. Validated by the contract's own schoolInput, here and in the core. */
export function SchoolForm({ id }: { id?: string }) {
  const card = useCall('schools.get', { id: id ?? '' }, { enabled: !!id });
  if (id && card.error) return <section className="page"><LoadError error={card.error} /></section>;
  if (id && !card.data) return <div className="loading">{t.common.loading}</div>;
  // Mounted once the card is there, so later reloads (data.changed) never overwrite what the user is typing.
  return <SchoolFormBody id={id} card={card.data} />;
}

function SchoolFormBody({ id, card }: { id: string | undefined; card: SchoolCard | undefined }) {
  const [, navigate] = useLocation();
  const toast = useApp((a) => a.toast);
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<Values, unknown, Parsed>({
    resolver: zodResolver(schoolInput),
    defaultValues: card ? valuesOf(card) : blank,
  });
  const { register, handleSubmit, control, formState, watch } = form;
  const errors = formState.errors;
  const isParticipant = watch('is_participant');

  // Once, on open: later renders must not pull the focus back.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.setFocus('full_name'), []);

  const [closeQuestion, cancel] = useCloseGuard(formState.isDirty, () => navigate(id ? `/${id}` : '/'));
  const submit = handleSubmit(async (values) => {
    setBanner(null);
    const r = id ? await call('schools.update', { id, patch: values }) : await call('schools.create', values);
    if (!r.ok) {
      setBanner(applyServerError(form, r.error, FIELDS));
      return;
    }
    toast(id ? s.saved : s.created);
    navigate(`/${r.value.id}`, { replace: !id });
  }, focusFirstError(form, FIELDS));

  const err = (k: (typeof FIELDS)[number]) => errors[k]?.message;

  return (
    <section className="page page-narrow">
      <Link href={id ? `/${id}` : '/'} className="back">
        ← {id ? t.common.back : s.backToList}
      </Link>
      <div className="page-head">
        <h1>{id ? s.editTitle : s.newTitle}</h1>
      </div>
      <form className="card form" noValidate onSubmit={submit} onKeyDown={formKeys(() => void submit(), cancel)} aria-label={id ? s.editTitle : s.newTitle}>
        {closeQuestion}
        {banner && (
          <div className="form-error" role="alert">
            {banner}
          </div>
        )}
        <Field label={s.field.full_name} error={err('full_name')} required>
          {({ id: fid, describedBy }) => (
            <input id={fid} {...register('full_name')} placeholder={s.placeholder.full_name} aria-invalid={!!errors.full_name || undefined} aria-describedby={describedBy} />
          )}
        </Field>
        <div className="form-row">
          <Field label={s.field.short_name} error={err('short_name')} required className="grow">
            {({ id: fid, describedBy }) => (
              <input id={fid} {...register('short_name')} placeholder={s.placeholder.short_name} aria-invalid={!!errors.short_name || undefined} aria-describedby={describedBy} />
            )}
          </Field>
          <Field label={s.field.kind} error={err('kind')}>
            {({ id: fid, describedBy }) => (
              <select id={fid} {...register('kind')} aria-invalid={!!errors.kind || undefined} aria-describedby={describedBy}>
                {schoolKinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-row">
          <div className="field check-field">
            <CheckField label={s.field.is_participant}>
              <input type="checkbox" {...register('is_participant')} />
            </CheckField>
          </div>
          <Field label={s.field.cohort_year} error={err('cohort_year')}>
            {({ id: fid, describedBy }) => (
              <input
                id={fid}
                className="narrow"
                inputMode="numeric"
                placeholder={s.placeholder.cohort_year}
                disabled={!isParticipant}
                {...register('cohort_year', { setValueAs: numberOrNull })}
                aria-invalid={!!errors.cohort_year || undefined}
                aria-describedby={describedBy}
              />
            )}
          </Field>
          <Field label={s.field.stage} error={err('stage')} className="grow">
            {({ id: fid, describedBy }) => (
              <select id={fid} {...register('stage')} aria-describedby={describedBy}>
                <option value="forming">{s.stage.forming}</option>
                <option value="implementing">{s.stage.implementing}</option>
              </select>
            )}
          </Field>
        </div>
        <div className="form-row">
          <Field label={s.field.risk_group} error={err('risk_group')} className="grow">
            {({ id: fid, describedBy }) => (
              <input id={fid} {...register('risk_group')} placeholder={s.placeholder.risk_group} aria-invalid={!!errors.risk_group || undefined} aria-describedby={describedBy} />
            )}
          </Field>
          <LookupField
            control={control}
            name="director_id"
            label={s.field.director}
            error={err('director_id')}
            className="grow"
            initialLabel={card?.director ? personShort(card.director) : null}
            search={(q) => searchPeople(q, 'all')}
            placeholder={s.placeholder.director}
          />
        </div>
        <Field label={s.field.address} error={err('address')}>
          {({ id: fid, describedBy }) => <input id={fid} {...register('address')} aria-invalid={!!errors.address || undefined} aria-describedby={describedBy} />}
        </Field>
        <Field label={s.field.site_url} error={err('site_url')}>
          {({ id: fid, describedBy }) => (
            <input id={fid} {...register('site_url')} placeholder="https://" aria-invalid={!!errors.site_url || undefined} aria-describedby={describedBy} />
          )}
        </Field>
        <Field label={s.field.notes} error={err('notes')}>
          {({ id: fid, describedBy }) => <textarea id={fid} rows={3} {...register('notes')} aria-invalid={!!errors.notes || undefined} aria-describedby={describedBy} />}
        </Field>
        <FormButtons busy={formState.isSubmitting} onCancel={cancel} />
      </form>
    </section>
  );
}
