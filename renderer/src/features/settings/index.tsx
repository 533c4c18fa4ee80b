import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { appContract, type AppInfo } from '../../../../core/contract/app';
import { call } from '../../bridge';
import { useCloseGuard } from '../../components/closeGuard';
import { Field } from '../../components/Field';
import { applyServerError, focusFirstError, formKeys, numberOrNull } from '../../components/forms';
import { Facts } from '../../components/States';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { FormButtons } from '../../components/FormButtons';
import { AccountSettings } from './AccountSettings';
import { Backups } from './Backups';
import { SchoolBreaks } from './SchoolBreaks';

const st = t.common.settings;
const schema = appContract['app.updateSettings'].input;
type Values = z.input<typeof schema>;
const FIELDS = ['visit_days_forming', 'visit_days_implementing_due', 'visit_days_implementing', 'time_zone'] as const;

export function SettingsSection() {
  const info = useApp((s) => s.info);
  if (!info?.district) return <div className="loading">{t.common.loading}</div>;
  return <Settings info={info} district={info.district} />;
}

function Settings({ info, district }: { info: AppInfo; district: NonNullable<AppInfo['district']> }) {
  const { setInfo, toast } = useApp();
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      visit_days_forming: district.visit_days_forming,
      visit_days_implementing_due: district.visit_days_implementing_due,
      visit_days_implementing: district.visit_days_implementing,
      time_zone: info.timeZone,
    },
  });
  const { register, handleSubmit, formState, reset } = form;
  // Esc and «Отмена» put the saved thresholds back, after asking when something was changed.
  const [discardQuestion, discard] = useCloseGuard(formState.isDirty, () => reset());

  const submit = handleSubmit(async (values) => {
    setBanner(null);
    const r = await call('app.updateSettings', values);
    if (!r.ok) {
      setBanner(applyServerError(form, r.error, FIELDS));
      return;
    }
    setInfo(r.value);
    reset(values);
    toast(st.saved);
  }, focusFirstError(form, FIELDS));

  const number = (name: Exclude<(typeof FIELDS)[number], 'time_zone'>, label: string, hint: string) => (
    <Field label={label} hint={hint} error={formState.errors[name]?.message}>
      {({ id, describedBy }) => (
        <input
          id={id}
          className="narrow"
          inputMode="numeric"
          {...register(name, { setValueAs: numberOrNull })}
          aria-invalid={!!formState.errors[name] || undefined}
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );

  return (
    <section className="page page-narrow">
      <div className="page-head">
        <h1>{st.title}</h1>
      </div>
      <AccountSettings />
      <form className="card form" noValidate onSubmit={submit} onKeyDown={formKeys(() => void submit(), discard)} aria-label={st.visits}>
        <h2 className="card-title">{st.visits}</h2>
        <p className="muted intro">{st.visitsIntro}</p>
        {banner && (
          <div className="form-error" role="alert">
            {banner}
          </div>
        )}
        {number('visit_days_forming', st.forming, st.formingHint)}
        {number('visit_days_implementing_due', st.implementingDue, st.implementingDueHint)}
        {number('visit_days_implementing', st.implementing, st.implementingHint)}
        <Field label={st.timeZone} hint={st.timeZoneHint} error={formState.errors.time_zone?.message}>
          {({ id, describedBy }) => (
            <select id={id} {...register('time_zone')} aria-invalid={!!formState.errors.time_zone || undefined} aria-describedby={describedBy}>
              {Object.entries({ ...st.timeZones, [info.timeZone]: st.timeZones[info.timeZone] ?? info.timeZone }).map(([zone, label]) => (
                <option key={zone} value={zone}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormButtons busy={formState.isSubmitting} onCancel={discard} cancelDisabled={!formState.isDirty} saveDisabled={!formState.isDirty} />
      </form>
      {discardQuestion}
      <SchoolBreaks />
      <Backups />
      <div className="card">
        <h2 className="card-title">{st.about}</h2>
        <Facts
          items={[
            [st.region, info.region?.name],
            [st.district, district.name],
            [st.appVersion, info.appVersion],
            [st.schemaVersion, info.schemaVersion],
            [st.dataDir, <code key="d">{info.dataDir}</code>],
            [st.deviceId, <code key="i">{info.deviceId}</code>],
          ]}
        />
      </div>
    </section>
  );
}
