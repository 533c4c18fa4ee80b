import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { SchoolListRow } from '../../../../core/contract/schools';
import { getWithReads } from '../../bridge';
import { EmptyState } from '../../components/States';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useCan } from '../../hooks/useCan';
import { defaultSchoolQuery, useSchoolQuery } from './listState';
import { VisitStatusBadge } from '../visits/VisitStatusBadge';
import { ListHead } from '../../components/ListHead';

const s = t.schools;

const columns: Column<SchoolListRow>[] = [
  {
    key: 'name',
    title: s.col.short_name,
    width: 'minmax(180px, 2.2fr)',
    sortKey: 'short_name',
    render: (r) => (
      <span className="cell-main" title={r.full_name}>
        {r.short_name}
      </span>
    ),
  },
  { key: 'kind', title: s.col.kind, width: '84px', sortKey: 'kind', render: (r) => r.kind },
  {
    key: 'participant',
    title: s.col.participant,
    width: '146px',
    render: (r) => (r.is_participant ? <span className="badge">{s.participant}</span> : <span className="badge muted">{s.donor}</span>),
  },
  {
    key: 'visit',
    title: t.visits.schoolColumn,
    width: '190px',
    render: (r) => <VisitStatusBadge status={r.visit_status} days={r.days_since_visit} />,
  },
  { key: 'cohort', title: s.col.cohort_year, width: '64px', sortKey: 'cohort_year', render: (r) => r.cohort_year ?? '' },
  { key: 'risk', title: s.col.risk_group, width: 'minmax(110px, 1.1fr)', sortKey: 'risk_group', render: (r) => r.risk_group ?? '' },
  { key: 'curator', title: s.col.curator, width: 'minmax(128px, 1fr)', render: (r) => r.curator_name ?? <span className="muted">—</span> },
  { key: 'director', title: s.col.director, width: 'minmax(128px, 1fr)', render: (r) => r.director_name ?? <span className="muted">—</span> },
];

export function SchoolList() {
  const [, navigate] = useLocation();
  // Only the coordinator adds schools; others never can, so the button is not shown at all.
  const canAdd = useCan('schools.edit').allowed;
  const { query, set, reset } = useSchoolQuery();
  const [search, setSearch] = useState(query.search);
  const [total, setTotal] = useState<number | null>(null);
  const options = useCall('schools.filterOptions', {});

  // Search as the user types, without a call per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => set({ search }), 200);
    return () => clearTimeout(timer);
  }, [search, set]);

  const filtered =
    query.search.trim() !== '' || query.participant !== defaultSchoolQuery.participant || query.cohort_year !== null || query.risk_group !== null;
  const queryKey = JSON.stringify(query);

  return (
    <section className="page page-fill">
      <ListHead title={s.title} total={total} forms={s.forms} addLabel={s.add} onAdd={canAdd ? () => navigate('/new') : undefined} />
      <div className="toolbar" role="search">
        <input
          type="search"
          className="search"
          aria-label={t.common.search}
          placeholder={s.searchPlaceholder}
          value={search}
          autoFocus
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label={s.filter.participant} value={query.participant} onChange={(e) => set({ participant: e.target.value as typeof query.participant })}>
          <option value="all">{s.filter.all}</option>
          <option value="participant">{s.filter.participant_}</option>
          <option value="donor">{s.filter.donor}</option>
        </select>
        <select
          aria-label={s.filter.cohort}
          value={query.cohort_year ?? ''}
          onChange={(e) => set({ cohort_year: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">{s.filter.anyCohort}</option>
          {options.data?.cohortYears.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <select aria-label={s.filter.riskGroup} value={query.risk_group ?? ''} onChange={(e) => set({ risk_group: e.target.value || null })}>
          <option value="">{s.filter.anyRiskGroup}</option>
          {options.data?.riskGroups.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setSearch('');
              reset();
            }}
          >
            {s.filter.reset}
          </button>
        )}
      </div>
      <VirtualTable<SchoolListRow>
        label={s.title}
        columns={columns}
        queryKey={queryKey}
        fetchPage={(offset, limit) => getWithReads('schools.list', { ...query, offset, limit }).then(({ value, reads }) => ({ ...value, reads }))}
        rowKey={(r) => r.id}
        memoryKey="schools"
        onOpen={(r) => navigate(`/${r.id}`)}
        sort={{ key: query.sort, dir: query.dir }}
        onSort={(key) =>
          set(
            key === query.sort
              ? { dir: query.dir === 'asc' ? 'desc' : 'asc' }
              : { sort: key as typeof query.sort, dir: 'asc' },
          )
        }
        onTotal={setTotal}
        empty={
          filtered ? (
            <EmptyState
              action={
                <button
                  type="button"
                  onClick={() => {
                    setSearch('');
                    reset();
                  }}
                >
                  {s.filter.reset}
                </button>
              }
            >
              {s.nothingFound}
            </EmptyState>
          ) : (
            <EmptyState
              action={
                canAdd && (
                  <button type="button" className="primary" onClick={() => navigate('/new')}>
                    {s.add}
                  </button>
                )
              }
            >
              {s.noSchools}
            </EmptyState>
          )
        }
      />
    </section>
  );
}
