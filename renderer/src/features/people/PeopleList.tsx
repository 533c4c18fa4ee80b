import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { PersonListRow } from '../../../../core/contract/people';
import { personFull } from '../../../../core/format';
import { getWithReads } from '../../bridge';
import { EmptyState } from '../../components/States';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { t } from '../../i18n/ru';
import { useCan } from '../../hooks/useCan';
import { create } from 'zustand';
import { rolesOf } from './roles';
import { ListHead } from '../../components/ListHead';

const p = t.people;
type Role = 'all' | 'coordinator' | 'curator' | 'school_coordinator' | 'director';

/** Search and role filter survive a visit to a card and back. */
const usePeopleQuery = create<{ search: string; role: Role; set: (patch: Partial<{ search: string; role: Role }>) => void }>((set) => ({
  search: '',
  role: 'all',
  set: (patch) => set(patch),
}));

const columns: Column<PersonListRow>[] = [
  { key: 'name', title: p.col.name, width: 'minmax(220px, 2fr)', render: (r) => <span className="cell-main">{personFull(r)}</span> },
  { key: 'position', title: p.col.position, width: 'minmax(180px, 1.8fr)', render: (r) => r.position ?? '' },
  { key: 'org', title: p.col.organisation, width: 'minmax(150px, 1.3fr)', render: (r) => r.organisation_name ?? '' },
  {
    key: 'roles',
    title: p.col.roles,
    width: 'minmax(200px, 1.6fr)',
    render: (r) => (
      <span className="badges">
        {rolesOf(r).map((name) => (
          <span key={name} className="badge">
            {name}
          </span>
        ))}
      </span>
    ),
  },
  { key: 'schools', title: p.col.schools, width: '80px', align: 'end', render: (r) => (r.is_curator ? r.school_count : '') },
];

export function PeopleList() {
  const [, navigate] = useLocation();
  const { search: savedSearch, role, set } = usePeopleQuery();
  const [search, setSearch] = useState(savedSearch);
  const [total, setTotal] = useState<number | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => set({ search }), 200);
    return () => clearTimeout(timer);
  }, [search, set]);

  const filtered = savedSearch.trim() !== '' || role !== 'all';
  // Only the coordinator adds people; others never can, so the button is not shown at all.
  const canAdd = useCan('people.edit').allowed;
  const reset = () => {
    setSearch('');
    set({ search: '', role: 'all' });
  };

  return (
    <section className="page page-fill">
      <ListHead title={p.title} total={total} forms={p.forms} addLabel={p.add} onAdd={canAdd ? () => navigate('/new') : undefined} />
      <div className="toolbar" role="search">
        <input
          type="search"
          className="search"
          aria-label={t.common.search}
          placeholder={p.searchPlaceholder}
          value={search}
          autoFocus
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label={p.roleFilter} value={role} onChange={(e) => set({ role: e.target.value as Role })}>
          {(['all', 'coordinator', 'curator', 'school_coordinator', 'director'] as const).map((r) => (
            <option key={r} value={r}>
              {p.roles[r]}
            </option>
          ))}
        </select>
        {filtered && (
          <button type="button" className="link" onClick={reset}>
            {p.resetFilters}
          </button>
        )}
      </div>
      <VirtualTable<PersonListRow>
        label={p.title}
        columns={columns}
        queryKey={JSON.stringify([savedSearch, role])}
        fetchPage={(offset, limit) => getWithReads('people.list', { search: savedSearch, role, offset, limit }).then(({ value, reads }) => ({ ...value, reads }))}
        rowKey={(r) => r.id}
        memoryKey="people"
        onOpen={(r) => navigate(`/${r.id}`)}
        onTotal={setTotal}
        empty={
          filtered ? (
            <EmptyState
              action={
                <button type="button" onClick={reset}>
                  {p.resetFilters}
                </button>
              }
            >
              {p.nothingFound}
            </EmptyState>
          ) : (
            <EmptyState
              action={
                canAdd && (
                  <button type="button" className="primary" onClick={() => navigate('/new')}>
                    {p.add}
                  </button>
                )
              }
            >
              {p.noPeople}
            </EmptyState>
          )
        }
      />
    </section>
  );
}
