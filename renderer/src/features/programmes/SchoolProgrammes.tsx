import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { countOf } from '../../../../core/format';
import { call } from '../../bridge';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { disabledBy, useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';
import { ProgrammeForm } from './ProgrammeForm';

const s = t.programmes.summary;

/** #/programmes/school/:id — a school's programmes, and the АРП its activated risk factors still lack. */
export function SchoolProgrammes({ schoolId }: { schoolId: string }) {
  const data = useCall('programmes.forSchool', { school_id: schoolId });
  const [, navigate] = useLocation();
  const toast = useApp((a) => a.toast);
  const [creating, setCreating] = useState(false);
  const may = disabledBy(useCan('programmes.edit', schoolId));

  if (data.error)
    return (
      <section className="page">
        <LoadError error={data.error} onRetry={data.reload} />
      </section>
    );
  if (!data.data) return <div className="loading">{t.common.loading}</div>;
  const { school, programmes, missingArps } = data.data;

  const createMissing = async () => {
    const r = await call('programmes.createMissingArps', { school_id: schoolId });
    if (!r.ok) return toast(r.error.message, { kind: 'error' });
    toast(t.programmes.createdArps(countOf(r.value.length, ['программа', 'программы', 'программ'])));
  };

  return (
    <section className="page">
      <Link href="/" className="back">
        {t.programmes.allSchools}
      </Link>
      <div className="page-head">
        <h1>
          {t.programmes.title}: {school.short_name}
        </h1>
        <button type="button" className="primary" onClick={() => setCreating(true)} {...may}>
          {t.programmes.newProgramme}
        </button>
      </div>
      {missingArps.length > 0 && (
        <div className="note warn">
          {t.programmes.missingArps(missingArps.map((f) => `«${f.title}»`).join(', '))}{' '}
          <button type="button" onClick={() => void createMissing()} {...may}>
            {t.programmes.createMissingArps}
          </button>
        </div>
      )}
      {programmes.length === 0 && <EmptyState>{t.programmes.noProgrammes}</EmptyState>}
      <div className="programme-cards">
        {programmes.map((p) => (
          <Link key={p.id} href={`/${p.id}`} className="card programme-card">
            <div className="muted small">{t.programmes.kinds[p.kind]}</div>
            <h3>{p.title}</h3>
            {p.goal && <p className="small">{p.goal}</p>}
            <div className="programme-stats small">
              <span>{countOf(p.tasks, s.tasks)}</span>
              <span>{countOf(p.measures, s.measures)}</span>
              <span>
                {p.done} {s.done}
              </span>
              {p.vague > 0 && (
                <span className="badge warn">⚠ {countOf(p.vague, s.vague)}</span>
              )}
              <span>{countOf(p.evidence, s.evidence)}</span>
              {p.evidence_pending > 0 && (
                <span className="badge">
                  {p.evidence_pending} {s.pending}
                </span>
              )}
              {p.evidence_rework > 0 && (
                <span className="badge danger">
                  {p.evidence_rework} {s.rework}
                </span>
              )}
            </div>
          </Link>
        ))}
      </div>
      {creating && <ProgrammeForm schoolId={schoolId} onClose={() => setCreating(false)} onSaved={(p) => navigate(`/${p.id}`)} />}
    </section>
  );
}
