import { Link } from 'wouter';
import { formatDate } from '../../../../core/format';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';

const w = t.schools.work;

/**
 * The school card's way onward: its programmes (and the АРП still missing), documents awaiting
 * the curator, the visit journal filtered to it, and its visit schedules.
 */
export function SchoolWork({ schoolId, isParticipant }: { schoolId: string; isParticipant: boolean }) {
  const programmes = useCall('programmes.forSchool', { school_id: schoolId }, { enabled: isParticipant });
  const schedules = useCall('visitSchedules.list', { school_id: schoolId });
  const p = programmes.data;
  const evidence = p?.programmes.reduce((n, x) => n + x.evidence, 0) ?? 0;
  const pending = p?.programmes.reduce((n, x) => n + x.evidence_pending, 0) ?? 0;
  return (
    <div className="card">
      <h2 className="card-title">{w.title}</h2>
      <nav aria-label={w.title}>
        <ul className="link-list">
          {isParticipant && (
            <li>
              <Link href={`~/programmes/school/${schoolId}`}>{w.programmes(p?.programmes.length ?? 0)}</Link>
              {!!p?.missingArps.length && (
                <>
                  {' · '}
                  <Link href={`~/programmes/school/${schoolId}`} className="danger-text">
                    {w.missingArps}
                  </Link>
                </>
              )}
            </li>
          )}
          {isParticipant && (
            <li>
              <Link href={`~/programmes/school/${schoolId}`}>{w.evidence(evidence, pending)}</Link>
            </li>
          )}
          <li>
            <Link href={`~/visits/school/${schoolId}`}>{w.visits}</Link>
            {' · '}
            <Link href={`~/visits/log/${schoolId}`}>{w.logVisit}</Link>
          </li>
          {schedules.data?.map((s) => (
            <li key={s.id}>
              <Link href={`~/visits/schedules/${s.id}`}>{w.schedule(formatDate(s.period_from), formatDate(s.period_to), s.curator_name)}</Link>
            </li>
          ))}
          {schedules.data?.length === 0 && (
            <li>
              <Link href="~/visits/schedules">{w.noSchedule}</Link>
            </li>
          )}
        </ul>
      </nav>
    </div>
  );
}
