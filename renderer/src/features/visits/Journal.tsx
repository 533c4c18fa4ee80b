import { useState } from 'react';
import { useLocation } from 'wouter';
import { countOf, formatDate } from '../../../../core/format';
import { DateInput } from '../../components/DateInput';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { rowLink } from '../../components/rowLink';
import { disabledBy } from '../../hooks/useCan';
import { useCanAnywhere } from '../../hooks/useCanAnywhere';

const v = t.visits;
const PAGE = 100;

/**
 * The visit journal: drafts on top, then visits newest first, filtered by school, curator and
 * period; `schoolId` opens it filtered to one school (the school card's «Посещения школы»).
 */
export function Journal({ schoolId = '' }: { schoolId?: string }) {
  const [, navigate] = useLocation();
  const [school, setSchool] = useState(schoolId);
  const [curator, setCurator] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const options = useCall('visits.options', {});
  const validDate = (d: string | null) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null);
  const list = useCall('visits.list', { school_id: school || null, curator_id: curator || null, from: validDate(from), to: validDate(to), limit });
  const filtered = !!(school || curator || from || to);
  const canLog = useCanAnywhere('visits.edit');

  return (
    <>
      <div className="page-head">
        <h1>{v.tabs.journal}</h1>
        <span className="count" aria-live="polite">
          {list.data ? countOf(list.data.total, v.forms) : ''}
        </span>
        <button type="button" onClick={() => window.print()} disabled={!list.data?.rows.length}>
          {v.journal.print}
        </button>
        {!canLog.never && (
          <button type="button" className="primary" onClick={() => navigate('/new')} {...disabledBy(canLog.decision)}>
            {v.journal.add}
          </button>
        )}
      </div>
      <div className="toolbar" role="search">
        <select aria-label={v.journal.filterSchool} value={school} onChange={(e) => setSchool(e.target.value)}>
          <option value="">{v.journal.anySchool}</option>
          {options.data?.schools.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select aria-label={v.journal.filterCurator} value={curator} onChange={(e) => setCurator(e.target.value)}>
          <option value="">{v.journal.anyCurator}</option>
          {options.data?.curators.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label className="inline-field">
          {v.journal.from} <DateInput value={from} onChange={setFrom} />
        </label>
        <label className="inline-field">
          {v.journal.to} <DateInput value={to} onChange={setTo} />
        </label>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setSchool('');
              setCurator('');
              setFrom(null);
              setTo(null);
            }}
          >
            {v.journal.reset}
          </button>
        )}
      </div>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && list.data.rows.length === 0 && <EmptyState>{filtered ? v.journal.nothingFound : v.journal.empty}</EmptyState>}
      {list.data && list.data.rows.length > 0 && (
        <div className="table-scroll">
          <table className="grid visits-journal">
            <thead>
              <tr>
                <th style={{ width: 110 }}>{v.journal.col.date}</th>
                <th>{v.journal.col.school}</th>
                <th>{v.journal.col.curator}</th>
                <th style={{ width: 120 }}>{v.journal.col.format}</th>
                <th>{v.journal.col.topics}</th>
                <th style={{ width: 70 }}>{v.journal.col.steps}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((r) => (
                <tr
                  key={r.id}
                  {...rowLink(navigate, `/${r.id}`)}
                >
                  <td>
                    {formatDate(r.date)} {r.is_draft ? <span className="badge warn">{v.journal.draft}</span> : null}
                  </td>
                  <td>{r.school_name}</td>
                  <td>{r.curator_name}</td>
                  <td>{v.format[r.format]}</td>
                  <td className="clip">{r.topics ?? <span className="muted">—</span>}</td>
                  <td>{r.steps_open || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > list.data.rows.length && (
        <div className="actions">
          <button type="button" onClick={() => setLimit((l) => Math.min(500, l + PAGE))} disabled={limit >= 500}>
            {v.journal.more}
          </button>
        </div>
      )}
    </>
  );
}
