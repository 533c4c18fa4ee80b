import { create } from 'zustand';
import type { SchoolListQuery } from '../../../../core/contract/schools';

type Query = Required<Pick<SchoolListQuery, 'search' | 'participant' | 'sort' | 'dir'>> & { cohort_year: number | null; risk_group: string | null };

export const defaultSchoolQuery: Query = { search: '', participant: 'all', cohort_year: null, risk_group: null, sort: 'short_name', dir: 'asc' };

/** The list's search, filters and sort survive a visit to a card and back. */
export const useSchoolQuery = create<{ query: Query; set: (patch: Partial<Query>) => void; reset: () => void }>((set, get) => ({
  query: defaultSchoolQuery,
  set: (patch) => set({ query: { ...get().query, ...patch } }),
  reset: () => set({ query: { ...defaultSchoolQuery, sort: get().query.sort, dir: get().query.dir } }),
}));
