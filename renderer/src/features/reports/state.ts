import { create } from 'zustand';

/** The section's shared choices: the reporting date and the monitoring period survive switching tabs. */
interface ReportsState {
  reportingDate: string | null;
  from: string | null;
  to: string | null;
  set: (p: Partial<Pick<ReportsState, 'reportingDate' | 'from' | 'to'>>) => void;
}

export const useReports = create<ReportsState>((set) => ({ reportingDate: null, from: null, to: null, set: (p) => set(p) }));
