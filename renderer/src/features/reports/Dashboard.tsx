import { useState, type ReactNode } from 'react';
import type { Dashboard as DashboardData } from '../../../../core/contract/reports';
import { percentLabel } from '../../../../core/format';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { BarChart } from './Charts';
import { DateField, ReportingDateField, ReportTabs, ruDate, useOptions } from './common';
import { useReports } from './state';
import { districtToday } from '../../clock';

const m = t.reports.monitoring;
const yearStart = (iso: string) => `${iso.slice(0, 4)}-01-01`;

const MONTHS = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
const monthLabel = (ym: string) => `${MONTHS[Number(ym.slice(5, 7)) - 1]} ${ym.slice(2, 4)}`;

export function Dashboard() {
  const { options, reportingDate } = useOptions();
  const st = useReports();
  // A period ends today unless the user says otherwise: a visit logged today is in it.
  const to = st.to ?? (reportingDate ? districtToday() : null);
  const from = st.from ?? (to ? yearStart(to) : null);
  const enabled = !!(reportingDate && from && to);
  const { data, error } = useCall('monitoring.dashboard', { districtId: options?.districtId ?? null, reportingDate: reportingDate ?? '2000-01-01', from: from ?? '2000-01-01', to: to ?? '2000-01-01' }, { enabled });
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t.reports.title}</h1>
      </div>
      <ReportTabs />
      <div className="rp-filters no-print">
        <ReportingDateField />
        {from && <DateField id="rp-from" label={`${t.reports.period}: ${t.reports.from}`} value={from} onChange={(v) => st.set({ from: v })} />}
        {to && <DateField id="rp-to" label={t.reports.to} value={to} onChange={(v) => st.set({ to: v })} />}
      </div>
      {error && <div className="form-error" role="alert">{error.fields?.to ?? error.message}</div>}
      {data ? <DashboardBody data={data} /> : !error && <div className="loading">{t.common.loading}</div>}
    </section>
  );
}

type Selection = { chart: string; key: string } | null;

function DashboardBody({ data }: { data: DashboardData }) {
  const [sel, setSel] = useState<Selection>(null);
  const pick = (chart: string) => (key: string) => setSel((s) => (s && s.chart === chart && s.key === key ? null : { chart, key }));
  const selected = (chart: string) => (sel?.chart === chart ? sel.key : null);

  const curators = [...new Map(data.visitsByMonth.cells.map((c) => [c.curatorId, c.curatorName])).entries()];
  const overdueBySchool = new Map<string, typeof data.overdue>();
  for (const o of data.overdue) overdueBySchool.set(o.schoolName, [...(overdueBySchool.get(o.schoolName) ?? []), o]);
  const [visitCurator, setVisitCurator] = useState(curators[0]?.[0] ?? '');
  const cells = data.visitsByMonth.cells.filter((c) => c.curatorId === visitCurator);

  let rows: ReactNode = null;
  if (sel?.chart === 'plan') {
    const d = data.summary.planDistribution.find((x) => x.key === sel.key)!;
    const all = data.summary.districts.flatMap((x) => x.rows).filter((r) => d.programmeIds.includes(r.programmeId));
    rows = <Rows head={[t.reports.expertise.school, t.reports.expertise.programme, t.reports.expertise.planPercent, t.reports.expertise.comment]} rows={all.map((r) => [r.schoolName, r.programmeTitle, r.planPercent, r.comment])} />;
  } else if (sel?.chart === 'completion') {
    const p = data.completion.find((x) => x.date === sel.key)!;
    rows = <Rows head={[t.reports.expertise.school, m.measure]} rows={p.missing.map((x) => [x.schoolName, x.title])} />;
  } else if (sel?.chart === 'visits') {
    const c = cells.find((x) => x.month === sel.key);
    rows = <Rows head={['Дата', t.reports.expertise.school, 'Темы']} rows={(c?.visits ?? []).map((v) => [ruDate(v.date), v.schoolName, v.topics ?? ''])} />;
  } else if (sel?.chart === 'overdue') {
    rows = <Rows head={[m.measure, m.dueDate, m.daysOverdue]} rows={(overdueBySchool.get(sel.key) ?? []).map((o) => [o.title, ruDate(o.dueDate), String(o.daysOverdue)])} />;
  }

  return (
    <>
      <p className="muted small as-of">{data.asOf}</p>
      <p className="muted small no-print">{m.chartHint}</p>
      <div className="rp-grid2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>{m.planDistribution}</h2>
          <BarChart
            title={m.planDistribution}
            bars={data.summary.planDistribution.map((d) => ({ key: d.key, label: d.key === 'none_due' ? 'Н/о к дате' : d.key === 'no_roadmap' ? 'Нет ДК' : `${d.key} б.`, value: d.count, caption: `${d.count}` }))}
            selected={selected('plan')}
            onSelect={pick('plan')}
          />
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>{m.completion}</h2>
          <BarChart
            title={m.completion}
            max={100}
            bars={data.completion.map((p) => ({ key: p.date, label: monthLabel(p.date.slice(0, 7)), value: p.percent ?? 0, caption: p.percent === null ? '—' : percentLabel(p.percent), color: '#2e7d32' }))}
            selected={selected('completion')}
            onSelect={pick('completion')}
          />
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>{m.visitsPerCurator}</h2>
          {curators.length === 0 ? (
            <div className="empty">{m.noRows}</div>
          ) : (
            <>
              <select aria-label={m.curator} value={visitCurator} onChange={(e) => setVisitCurator(e.target.value)} className="no-print">
                {curators.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
              </select>
              <BarChart
                title={m.visitsPerCurator}
                bars={data.visitsByMonth.months.map((mo) => ({ key: mo, label: monthLabel(mo), value: cells.find((c) => c.month === mo)?.count ?? 0, color: '#b7791f' }))}
                selected={selected('visits')}
                onSelect={pick('visits')}
              />
            </>
          )}
        </div>
        <div className="card">
          <h2 style={{ marginTop: 0 }}>{m.overdue}</h2>
          {overdueBySchool.size === 0 ? (
            <div className="empty">{m.noRows}</div>
          ) : (
            <BarChart
              title={m.overdue}
              bars={[...overdueBySchool.entries()].map(([school, list]) => ({ key: school, label: school, value: list.length, color: '#c0392b' }))}
              selected={selected('overdue')}
              onSelect={pick('overdue')}
            />
          )}
        </div>
      </div>
      {rows && (
        <div className="card" role="region" aria-label={m.rowsBehind}>
          <div className="page-head">
            <h2 style={{ margin: 0 }}>{m.rowsBehind}</h2>
            <button type="button" onClick={() => setSel(null)}>{m.close}</button>
          </div>
          {rows}
        </div>
      )}

      <h2>{m.engagement}</h2>
      <p>{m.activeShare(data.engagement.active, data.engagement.curators.length, percentLabel(data.engagement.activePercent), bandLabel(data.engagement.activeBand))}</p>
      <Rows
        head={[m.curator, m.schools, m.engagementPoints, m.journal]}
        rows={data.engagement.curators.map((c) => [c.curatorName, c.schools.join(', '), `${c.score.points} — ${c.score.criteria.map((x) => `${x.points ? '✓' : '✗'} ${x.title}`).join('; ')}`, `${c.journal.logged} из ${c.journal.required} (${percentLabel(c.journal.percent)})`])}
      />
      <p className="small">
        {m.journalBands}: {data.engagement.journalBands.map((b) => `${b.label} — ${b.count}`).join('; ')}
      </p>

      <h2>{m.compliance}</h2>
      <Rows
        head={[m.curator, t.reports.expertise.school, m.visits, m.required, m.longestGap, m.compliant]}
        rows={data.compliance.map((c) => [c.curatorName, c.schoolName, String(c.visits), String(c.required), `${c.longestGap} (≤ ${c.allowedGap})`, c.compliant ? m.yes : m.no])}
      />

      <h2>{m.pending}</h2>
      <Rows head={[m.document, m.measure, t.reports.expertise.school, m.curator, m.days]} rows={data.pending.map((p) => [p.title, p.measureTitle, p.schoolName, p.curatorName ?? '—', String(p.daysWaiting)])} />
    </>
  );
}

const bandLabel = (b: 'low' | 'mid' | 'high') => ({ low: '0–35%', mid: '35–75%', high: '76–100%' })[b];

function Rows({ head, rows }: { head: string[]; rows: string[][] }) {
  if (rows.length === 0) return <div className="empty">{m.noRows}</div>;
  return (
    <table className="grid">
      <thead>
        <tr>{head.map((h) => <th key={h}>{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}
