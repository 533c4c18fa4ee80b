import { useState } from 'react';
import { Link } from 'wouter';
import type { StartSummary } from '../../../../core/contract/fieldEvents';
import { formatDate } from '../../../../core/format';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { VisitStatusBadge } from '../visits/VisitStatusBadge';
import '../visits/visits.css';
import { useCanAnywhere } from '../../hooks/useCanAnywhere';
import { useCuratorSelf } from '../visits/curatorSelf';

const st = t.visits.start;
const CURATOR_KEY = 'start.curator';

/** The start page: who needs a visit, this week's plan, deadlines and events — for everyone or one curator. */
export function StartSection() {
  const [curator, setCurator] = useState(() => localStorage.getItem(CURATOR_KEY) ?? '');
  const options = useCall('visits.options', {});
  const summary = useCall('start.summary', { curator_id: curator || null });
  const canLog = useCanAnywhere('visits.edit').decision.allowed;
  const chooseCurator = (id: string) => {
    setCurator(id);
    localStorage.setItem(CURATOR_KEY, id);
  };
  // A remembered curator who was deleted since falls back to everyone.
  const known = !curator || !options.data || options.data.curators.some((c) => c.id === curator);

  return (
    <section className="page start-page">
      <div className="page-head">
        <h1>{st.title}</h1>
        <label className="inline-field">
          {st.curator}
          <select value={known ? curator : ''} onChange={(e) => chooseCurator(e.target.value)} aria-label={st.curator}>
            <option value="">{st.allCurators}</option>
            {options.data?.curators.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {canLog && (
          <Link href="/visits/new" className="button-link primary">
            {t.visits.journal.add}
          </Link>
        )}
      </div>
      {summary.error && <LoadError error={summary.error} onRetry={summary.reload} />}
      {summary.data && <Summary s={summary.data} />}
    </section>
  );
}

function Summary({ s }: { s: StartSummary }) {
  // «Записать» only where the account may log a visit: a viewer nowhere, a curator at their own schools.
  const never = useCanAnywhere('visits.edit').never;
  const self = useCuratorSelf();
  const mayLog = (schoolId: string) => !never && (!self || self.schoolIds.has(schoolId));
  const c = s.counts;
  const tiles: [string, number, string][] = [
    [st.counts.participants, c.participants, ''],
    [st.counts.overdue, c.overdue, c.overdue ? 'danger' : ''],
    [st.counts.never, c.never, c.never ? 'danger' : ''],
    [st.counts.due, c.due, c.due ? 'warn' : ''],
    [st.counts.month, c.visitsThisMonth, ''],
    [st.counts.drafts, c.drafts, c.drafts ? 'warn' : ''],
  ];
  return (
    <>
      <div className="tiles" role="list">
        {tiles.map(([label, n, cls]) => (
          <div key={label} className={`tile ${cls}`} role="listitem" data-tile={label}>
            <div className="tile-n">{n}</div>
            <div className="tile-label">{label}</div>
          </div>
        ))}
      </div>

      <div className="start-grid">
        <div className="card start-attention">
          <h2 className="card-title">{st.attention}</h2>
          {s.attention.length === 0 ? (
            <EmptyState>{st.attentionEmpty}</EmptyState>
          ) : (
            <table className="grid" aria-label={st.attention}>
              <thead>
                <tr>
                  <th>{t.visits.journal.col.school}</th>
                  <th>{t.visits.journal.col.curator}</th>
                  <th>{st.lastVisit}</th>
                  <th>{st.nextPlanned}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {s.attention.map((r) => (
                  <tr key={r.school_id} className={`attention-${r.status}`} data-school={r.school_name}>
                    <td>
                      <Link href={`/schools/${r.school_id}`}>{r.school_name}</Link>
                      <div className="small muted">{t.visits.stageShort[r.stage]}</div>
                    </td>
                    <td>{r.curator_name ?? <span className="muted">—</span>}</td>
                    <td>
                      <VisitStatusBadge status={r.status} days={r.days} />
                      {r.last_visit && <div className="small muted">{formatDate(r.last_visit)}</div>}
                    </td>
                    <td>{r.next_planned ? formatDate(r.next_planned) : <span className="muted">—</span>}</td>
                    <td>
                      {mayLog(r.school_id) && (
                        <Link href={`/visits/log/${r.school_id}`} className="button-link">
                          {st.log}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>

        <div>
          <div className="card">
            <h2 className="card-title">{st.week(formatDate(s.week.from), formatDate(s.week.to))}</h2>
            {s.weekPlan.length === 0 ? (
              <p className="muted">{st.weekEmpty}</p>
            ) : (
              <ul className="agenda">
                {s.weekPlan.map((w) => (
                  <li key={w.id} className={w.visited ? 'done' : w.planned_date < s.today ? 'late' : ''}>
                    <span className="agenda-date">{formatDate(w.planned_date)}</span>
                    <span>
                      {w.school_name} <span className="muted small">· {w.curator_name}</span>
                    </span>
                    {w.visited ? (
                      <span className="badge ok">✓ {formatDate(w.visited)}</span>
                    ) : (
                      mayLog(w.school_id) && (
                        <Link href={`/visits/log/${w.school_id}`} className="small">
                          {st.log}
                        </Link>
                      )
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="card">
            <h2 className="card-title">{st.deadlines}</h2>
            {s.deadlines.length === 0 ? (
              <p className="muted">{st.deadlinesEmpty}</p>
            ) : (
              <ul className="agenda">
                {s.deadlines.map((d) => (
                  <li key={`${d.kind}-${d.id}`} className={`deadline ${d.state.status}`}>
                    <span className="agenda-date">{formatDate(d.deadline)}</span>
                    <span>{d.link ? <Link href={d.link}>{d.title}</Link> : d.title}</span>
                    <span className="agenda-meta">
                      <span className={d.state.status === 'late' ? 'badge danger' : 'badge warn'}>
                        {d.state.status === 'late' ? st.late(-d.state.days_left) : st.dueIn(d.state.days_left)}
                      </span>
                      <span className="muted small">
                        {st.kinds[d.kind]}
                        {d.context ? ` · ${d.context}` : ''}
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="card">
            <h2 className="card-title">{st.events}</h2>
            {s.events.length === 0 ? (
              <p className="muted">{st.eventsEmpty}</p>
            ) : (
              <ul className="agenda">
                {s.events.map((e) => (
                  <li key={e.id}>
                    <span className="agenda-date">{formatDate(e.date)}</span>
                    <Link href={`/visits/events/${e.id}`}>{e.title}</Link>
                    <span className="muted small">{t.visits.events.kinds[e.kind]}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
