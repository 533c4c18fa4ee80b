import { useState, type FormEvent } from 'react';
import { call } from '../../bridge';
import { useApp } from '../../stores/app';

/** First start: create the district or load the demo built from the seeds. */
export function SetupScreen() {
  const setInfo = useApp((s) => s.setInfo);
  const [region, setRegion] = useState('');
  const [district, setDistrict] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await call('app.createDistrict', { region, district });
    setBusy(false);
    if (r.ok) setInfo(r.value);
    else {
      setErrors(r.error.fields ?? {});
      setMessage(r.error.fields ? null : r.error.message);
    }
  }

  async function demo() {
    setBusy(true);
    const r = await call('app.loadDemo', {});
    setBusy(false);
    if (r.ok) setInfo(r.value);
    else setMessage(r.error.message);
  }

  return (
    <div className="setup">
      <div className="setup-card">
        <h1>Проект «500+»: адресная методическая помощь</h1>
        <p className="muted">
          Приложение работает без интернета. Начните с района: его школы, кураторы, посещения и программы будут храниться на этом компьютере.
        </p>
        <form onSubmit={create} noValidate>
          <label className="field">
            <span>Регион</span>
            <input value={region} onChange={(e) => setRegion(e.target.value)} placeholder="Свердловская область" aria-invalid={!!errors.region} autoFocus />
            {errors.region && <span className="field-error">{errors.region}</span>}
          </label>
          <label className="field">
            <span>Муниципальное образование</span>
            <input value={district} onChange={(e) => setDistrict(e.target.value)} placeholder="Каменск-Уральский городской округ" aria-invalid={!!errors.district} />
            {errors.district && <span className="field-error">{errors.district}</span>}
          </label>
          {message && (
            <div className="form-error" role="alert">
              {message}
            </div>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Создать район
            </button>
            <button type="button" onClick={demo} disabled={busy}>
              Загрузить демо
            </button>
          </div>
        </form>
        <p className="muted small">Демо: школы МР «Цунтинский район» и Каменск-Уральского городского округа из реальных документов проекта.</p>
      </div>
    </div>
  );
}
