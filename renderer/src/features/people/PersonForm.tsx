import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'wouter';
import type { z } from 'zod';
import { personInput, roleKeys, type PersonCard } from '../../../../core/contract/people';
import { call } from '../../bridge';
import { CheckField, Field } from '../../components/Field';
import { useCloseGuard } from '../../components/closeGuard';
import { applyServerError, focusFirstError, formKeys } from '../../components/forms';
import { LookupField } from '../../components/LookupField';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { searchSchools } from '../schools/lookup';
import { roleLabel } from './roles';
import { FormButtons } from '../../components/FormButtons';

const p = t.people;
type Values = z.input<typeof personInput>;
type Parsed = z.output<typeof personInput>;
const FIELDS = ['last_name', 'first_name', 'middle_name', 'position', 'organisation_id', 'phone', 'email', ...roleKeys] as const;

const blank: Values = {
  last_name: '',
  first_name: '',
  middle_name: '',
  position: '',
  organisation_id: null,
  phone: '',
  email: '',
  is_coordinator: false,
  is_curator: false,
  is_school_coordinator: false,
  is_director: false,
};

function valuesOf(card: PersonCard): Values {
  const r = card.person;
  return {
    last_name: r.last_name,
    first_name: r.first_name,
    middle_name: r.middle_name ?? '',
    position: r.position ?? '',
    organisation_id: r.organisation_id,
    phone: r.phone ?? '',
    email: r.email ?? '',
    is_coordinator: !!r.is_coordinator,
    is_curator: !!r.is_curator,
    is_school_coordinator: !!r.is_school_coordinator,
    is_director: !!r.is_director,
  };
}

/** Create (no id) or edit a person, validated by the contract's personInput. */
export function PersonForm({ id }: { id?: string }) {
  const card = useCall('people.get', { id: id ?? '' }, { enabled: !!id });
  if (id && card.error) return <section className="page"><LoadError error={card.error} /></section>;
  if (id && !card.data) return <div className="loading">{t.common.loading}</div>;
  return <PersonFormBody id={id} card={card.data} />;
}

function PersonFormBody({ id, card }: { id: string | undefined; card: PersonCard | undefined }) {
  const [, navigate] = useLocation();
  const toast = useApp((a) => a.toast);
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<Values, unknown, Parsed>({ resolver: zodResolver(personInput), defaultValues: card ? valuesOf(card) : blank });
  const { register, handleSubmit, control, formState } = form;
  const errors = formState.errors;

  // Once, on open: later renders must not pull the focus back.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.setFocus('last_name'), []);

  const [closeQuestion, cancel] = useCloseGuard(formState.isDirty, () => navigate(id ? `/${id}` : '/'));
  const submit = handleSubmit(async (values) => {
    setBanner(null);
    const r = id ? await call('people.update', { id, patch: values }) : await call('people.create', values);
    if (!r.ok) {
      setBanner(applyServerError(form, r.error, FIELDS));
      return;
    }
    toast(id ? p.saved : p.created);
    navigate(`/${r.value.id}`, { replace: !id });
  }, focusFirstError(form, FIELDS));

  const text = (name: 'last_name' | 'first_name' | 'middle_name' | 'position' | 'phone' | 'email', required = false, placeholder?: string, className?: string) => (
    <Field label={p.field[name]} error={errors[name]?.message} required={required} className={className}>
      {({ id: fid, describedBy }) => (
        <input
          id={fid}
          {...register(name)}
          placeholder={placeholder}
          type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'}
          aria-invalid={!!errors[name] || undefined}
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );

  return (
    <section className="page page-narrow">
      <Link href={id ? `/${id}` : '/'} className="back">
        ← {id ? t.common.back : p.backToList}
      </Link>
      <div className="page-head">
        <h1>{id ? p.editTitle : p.newTitle}</h1>
      </div>
      <form className="card form" noValidate onSubmit={submit} onKeyDown={formKeys(() => void submit(), cancel)} aria-label={id ? p.editTitle : p.newTitle}>
        {closeQuestion}
        {banner && (
          <div className="form-error" role="alert">
            {banner}
          </div>
        )}
        <div className="form-row thirds">
          {text('last_name', true)}
          {text('first_name', true)}
          {text('middle_name')}
        </div>
        <div className="form-row">
          {text('position', false, p.placeholder.position, 'grow')}
          <LookupField
            control={control}
            name="organisation_id"
            label={p.field.organisation}
            error={errors.organisation_id?.message}
            className="grow"
            initialLabel={card?.organisation?.short_name ?? null}
            search={searchSchools}
            placeholder={p.placeholder.organisation}
          />
        </div>
        <div className="form-row">
          {text('phone', false, p.placeholder.phone, 'grow')}
          {text('email', false, 'name@example.ru', 'grow')}
        </div>
        <fieldset className="subform">
          <legend>{p.field.roles}</legend>
          <div className="checks">
            {roleKeys.map((k) => (
              <CheckField key={k} label={roleLabel[k]}>
                <input type="checkbox" {...register(k)} />
              </CheckField>
            ))}
          </div>
        </fieldset>
        <FormButtons busy={formState.isSubmitting} onCancel={cancel} />
      </form>
    </section>
  );
}
