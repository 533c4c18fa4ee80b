import { useEffect } from 'react';
import { Link, useLocation } from 'wouter';
import type { ReportOptions } from '../../../../core/contract/reports';
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

export function DateField({ label, value, onChange, id }: { label: string; value: string; onChange: (v: string) => void; id: string }) {
  return (
    <label className="field" htmlFor={id}>
      <span>{label}</span>
      <input id={id} type="date" value={value} onChange={(e) => e.target.value && onChange(e.target.value)} />
    </label>
  );
}

export function ReportingDateField() {
  const value = useReports((s) => s.reportingDate);
  const set = useReports((s) => s.set);
  if (!value) return null;
  return <DateField id="rp-date" label={r.reportingDate} value={value} onChange={(v) => set({ reportingDate: v })} />;
}

export const ruDate = (iso: string | null | undefined): string => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '');

export function ReportTabs() {
  const [location] = useLocation();
  const tab = location.startsWith('/monitoring') ? 'monitoring' : location.startsWith('/documents') ? 'documents' : 'expertise';
  const items = [
    { key: 'expertise', href: '/', label: r.tabs.expertise },
    { key: 'monitoring', href: '/monitoring', label: r.tabs.monitoring },
    { key: 'documents', href: '/documents', label: r.tabs.documents },
  ];
  return (
    <nav className="rp-tabs no-print" aria-label={r.title}>
      {items.map((i) => (
        <Link key={i.key} href={i.href} className={i.key === tab ? 'rp-tab active' : 'rp-tab'} aria-current={i.key === tab ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

