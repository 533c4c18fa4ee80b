import { useState, type FormEvent } from 'react';
import { call } from '../../bridge';
import { Field } from '../../components/Field';
import { useApp } from '../../stores/app';
import { JoinDistrict } from './JoinDistrict';
import { DEMO_DISTRICTS, type DemoDistrict } from '../../../../core/contract/app';

/** First start: create the district, join one that lives on other laptops, or load the demo built from the seeds. */
export function SetupScreen() {
  const setInfo = useApp((s) => s.setInfo);
  const [region, setRegion] = useState('');
  const [district, setDistrict] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<'create' | DemoDistrict | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy('create');
    const r = await call('app.createDistrict', { region, district });
    setBusy(null);
    if (r.ok) setInfo(r.value);
    else {
      setErrors(r.error.fields ?? {});
      setMessage(r.error.fields ? null : r.error.message);
      const first = r.error.fields ? Object.keys(r.error.fields)[0] : undefined;
      if (first) document.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
    }
  }

  async function demo(district: DemoDistrict) {
    setBusy(district);
    const r = await call('app.loadDemo', { district });
    setBusy(null);
    if (r.ok) setInfo(r.value);
    else setMessage(r.error.message);
  }

  return (
    <div className="setup">
      <div className="setup-card">
        <div className="setup-brand">500+</div>
        <h1>Адресная методическая помощь школам</h1>
        <p className="muted">
          Приложение работает без интернета: школы, кураторы, посещения и программы района хранятся на этом компьютере и передаются в регион при
          синхронизации.
        </p>
        <form onSubmit={create} noValidate>
          <h2 className="setup-step">Новый район</h2>
          <Field label="Регион" error={errors.region}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="region"
                value={region}
                onChange={(e) => setRegion(e.target.value)}
                placeholder="например: Свердловская область"
                aria-invalid={!!errors.region || undefined}
                aria-describedby={describedBy}
                autoFocus
              />
            )}
          </Field>
          <Field label="Муниципальное образование" error={errors.district}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="district"
                value={district}
                onChange={(e) => setDistrict(e.target.value)}
                placeholder="например: Каменск-Уральский городской округ"
                aria-invalid={!!errors.district || undefined}
                aria-describedby={describedBy}
              />
            )}
          </Field>
          {message && (
            <div className="form-error" role="alert">
              {message}
            </div>
          )}
          <button type="submit" className="primary" disabled={!!busy}>
            {busy === 'create' ? 'Создание…' : 'Создать район'}
          </button>
        </form>
        <div className="setup-or">
          <span>или</span>
        </div>
        <JoinDistrict disabled={!!busy} />
        <div className="setup-or">
          <span>или</span>
        </div>
        <div className="setup-demo">
          <div>
            <div className="setup-step">Посмотреть на примере</div>
            <p className="muted small">Район со школами, кураторами и приказами из реальных документов проекта. Ноутбук работает с одним районом: выберите, какой показать.</p>
          </div>
          <div className="actions">
            {(Object.keys(DEMO_DISTRICTS) as DemoDistrict[]).map((d) => (
              <button key={d} type="button" onClick={() => void demo(d)} disabled={!!busy}>
                {busy === d ? 'Загрузка…' : `Демо: ${DEMO_DISTRICTS[d]}`}
              </button>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
