import { useEffect } from 'react';
import type { ReportOptions } from '../../../../core/contract/reports';
import { DateInput } from '../../components/DateInput';
import { Tabs } from '../../components/Tabs';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useReports } from './state';

const r = t.reports;

/** The options every page needs, and the reporting date defaulting to the last passed monitoring deadline. */
export function useOptions(): { options: ReportOptions | undefined; reportingDate: string | null; error: string | undefined } {
  const { data, error } = useCall('reports.options', {});
  const reportingDate = useReports((s) => s.reportingDate);
  const set = useReports((s) => s.set);
  useEffect(() => {
    if (data && !reportingDate) set({ reportingDate: data.defaultReportingDate });
  }, [data, reportingDate, set]);
  return { options: data, reportingDate: reportingDate ?? data?.defaultReportingDate ?? null, error: error?.message };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date typed as ДД.ММ.ГГГГ; the page only hears of it once it is a whole date. */
export function DateField({ label, value, onChange, id }: { label: string; value: string; onChange: (v: string) => void; id: string }) {
  return (
    <label className="field" htmlFor={id}>
      <span>{label}</span>
      <DateInput id={id} value={value} onChange={(v) => v && ISO_DATE.test(v) && onChange(v)} />
    </label>
  );
}

export function ReportingDateField() {
  const value = useReports((s) => s.reportingDate);
  const set = useReports((s) => s.set);
  if (!value) return null;
  return <DateField id="rp-date" label={r.reportingDate} value={value} onChange={(v) => set({ reportingDate: v })} />;
}

export { formatDate as ruDate } from '../../../../core/format';

const reportTabs = [
  { href: '/', label: r.tabs.expertise },
  { href: '/monitoring', label: r.tabs.monitoring },
  { href: '/documents', label: r.tabs.documents },
];

export function ReportTabs() {
  return <Tabs items={reportTabs} label={r.title} />;
}

