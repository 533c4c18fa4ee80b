import { Link, useLocation } from 'wouter';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';

const c = t.programmes.cols;

/** #/programmes — participant schools with their programmes at a glance. */
export function ProgrammeSchools() {
  const list = useCall('programmes.schools', {});
  const [, navigate] = useLocation();
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t.programmes.title}</h1>
      </div>
      <p className="muted">{t.programmes.schoolsIntro}</p>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && <EmptyState>{t.programmes.noSchools}</EmptyState>}
      {list.data && list.data.length > 0 && (
        <div className="card flush">
          <table className="grid school-list">
            <thead>
              <tr>
                <th>{c.school}</th>
                <th>{c.programmes}</th>
                <th>{c.measures}</th>
                <th>{c.vague}</th>
                <th>{c.pending}</th>
                <th>{c.missing}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                // The whole row opens the school, as in the schools list; the name stays a link for the keyboard.
                <tr key={s.id} onClick={(e) => !(e.target as HTMLElement).closest('a') && navigate(`/school/${s.id}`)}>
                  <td>
                    <Link href={`/school/${s.id}`}>{s.short_name}</Link>
                  </td>
                  <td>{s.programmes}</td>
                  <td>{s.measures}</td>
                  <td>{s.vague > 0 ? <span className="badge warn">⚠ {s.vague}</span> : <span className="muted">0</span>}</td>
                  <td>{s.evidence_pending > 0 ? <span className="badge">{s.evidence_pending}</span> : <span className="muted">0</span>}</td>
                  <td>
                    {s.missing_arps > 0 ? (
                      <Link href={`/school/${s.id}`} className="danger-text">
                        {t.programmes.missingCreate(s.missing_arps)}
                      </Link>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
