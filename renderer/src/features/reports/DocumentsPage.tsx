import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { ReportKind, ReportOptions, ReportRequest } from '../../../../core/contract/reports';
import { onEvent } from '../../bridge';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { DateField, ReportTabs, useOptions } from './common';
import { exportAndDownload, printHref } from './download';
import { districtToday } from '../../clock';

const d = t.reports.documents;
const NO_STAGE = 'none';

/** Each document as a small form: its own fields, «Сформировать файл» and «Печать / PDF». Typed values stay when a request is refused. */
export function DocumentsPage() {
  const { options, reportingDate, error } = useOptions();
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t.reports.title}</h1>
      </div>
      <ReportTabs />
      <p className="muted">{d.intro}</p>
      {error && <div className="form-error" role="alert">{error}</div>}
      {options && reportingDate && <Forms options={options} reportingDate={reportingDate} />}
    </section>
  );
}

function Forms({ options, reportingDate }: { options: ReportOptions; reportingDate: string }) {
  const district = options.districtId;
  const curators = options.curators.filter((c) => !district || c.districtId === district);
  const programmes = options.programmes.filter((p) => !district || p.districtId === district);
  const today = districtToday();
  const thisYear = Number(today.slice(0, 4));
  const years = [...new Set([thisYear, ...options.stages.map((s) => s.year)])].sort((a, b) => b - a);
  const [year, setYear] = useState(Number(reportingDate.slice(0, 4)) || thisYear);
  const stages = options.stages.filter((s) => s.year === year && s.code.startsWith('M'));
  const [stageId, setStageId] = useState('');
  const [narrative, setNarrative] = useState('');
  const [curatorId, setCuratorId] = useState(curators[0]?.id ?? '');
  const [programmeId, setProgrammeId] = useState(programmes[0]?.id ?? '');
  // Periods end today by default: a visit logged today is never silently left out.
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [scope, setScope] = useState<'district' | 'region'>('district');
  const stage = stageId === NO_STAGE ? '' : stageId || stages.filter((x) => x.deadline <= today).at(-1)?.id || '';
  const stageDeadline = stages.find((x) => x.id === stage)?.deadline;
  const [muniDate, setMuniDate] = useState<string | null>(null);
  // The report is as of the chosen stage's deadline once it has passed, else today; any other date may be typed.
  const muniDay = muniDate ?? (stageDeadline && stageDeadline < today ? stageDeadline : today);

  const period = (
    <>
      <DateField id="rp-from" label={`${t.reports.period}: ${t.reports.from}`} value={from} onChange={setFrom} />
      <DateField id="rp-to" label={t.reports.to} value={to} onChange={setTo} />
    </>
  );
  const yearField = (
    <label className="field">
      <span>{d.year}</span>
      <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
        {years.map((y) => <option key={y} value={y}>{y}</option>)}
      </select>
    </label>
  );

  return (
    <>
      <DocCard kind="muni" title={d.muni} request={{ kind: 'muni', districtId: district, year, stageId: stage || null, narrative: narrative || null, date: muniDay }}>
        {yearField}
        <label className="field">
          <span>{d.stage}</span>
          <select
            value={stage || NO_STAGE}
            onChange={(e) => {
              setStageId(e.target.value);
              setMuniDate(null);
            }}
          >
            <option value={NO_STAGE}>{d.noStage}</option>
            {stages.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
          </select>
        </label>
        <DateField id="rp-muni-date" label={d.asOf} value={muniDay} onChange={setMuniDate} />
        <label className="field" style={{ gridColumn: '1 / -1' }}>
          <span>{d.narrative}</span>
          <textarea rows={4} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
        </label>
      </DocCard>
      <DocCard kind="activities" title={d.activities} request={{ kind: 'activities', districtId: district, year }}>
        {yearField}
      </DocCard>
      <DocCard kind="curator" title={d.curator} request={curatorId ? { kind: 'curator', curatorId, from, to } : null}>
        <label className="field">
          <span>{d.curatorField}</span>
          <select value={curatorId} onChange={(e) => setCuratorId(e.target.value)}>
            {curators.length === 0 && <option value="">{d.choose}</option>}
            {curators.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        {period}
      </DocCard>
      <DocCard kind="programme" title={d.programme} request={programmeId ? { kind: 'programme', programmeId, reportingDate } : null}>
        <label className="field">
          <span>{d.programmeField}</span>
          <select value={programmeId} onChange={(e) => setProgrammeId(e.target.value)}>
            {programmes.length === 0 && <option value="">{d.choose}</option>}
            {programmes.map((p) => <option key={p.id} value={p.id}>{`${p.schoolName} — ${p.title}`}</option>)}
          </select>
        </label>
      </DocCard>
      <DocCard kind="expertise" title={d.expertise} request={{ kind: 'expertise', districtId: district, reportingDate, scope }}>
        <label className="field">
          <span>{d.scope}</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as 'district' | 'region')}>
            <option value="district">{d.scopeDistrict}</option>
            <option value="region">{d.scopeRegion}</option>
          </select>
        </label>
      </DocCard>
      <DocCard kind="visitJournal" title={d.visitJournal} request={{ kind: 'visitJournal', districtId: district, from, to }}>
        {period}
      </DocCard>
      <DocCard kind="visitSchedule" title={d.visitSchedule} request={{ kind: 'visitSchedule', districtId: district, from, to }}>
        {period}
      </DocCard>
    </>
  );
}

function DocCard({ kind, title, request, children }: { kind: ReportKind; title: string; request: ReportRequest | null; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; label?: string } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const toast = useApp((a) => a.toast);
  useEffect(
    () =>
      onEvent((e) => {
        if (e.type === 'progress' && e.task === `export:${kind}`) setProgress({ done: e.done, total: e.total, ...(e.label ? { label: e.label } : {}) });
      }),
    [kind],
  );
  const run = async () => {
    if (!request) return;
    setBusy(true);
    setErr(null);
    setProgress({ done: 0, total: 3 });
    const r = await exportAndDownload(request);
    setBusy(false);
    if (r.ok) toast(d.done(r.fileName));
    else setErr(Object.values(r.fields ?? {})[0] ?? r.message);
  };
  return (
    <div className="card" data-report={kind}>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <div className="rp-doc-form">{children}</div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void run()} disabled={busy || !request}>{busy ? d.exporting : d.export}</button>
        {request ? <Link href={printHref(request)}>{d.print}</Link> : null}
      </div>
      {busy && progress && (
        <div aria-live="polite" className="small muted">
          {progress.label}
          <div className="rp-progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
            <div style={{ width: `${(100 * progress.done) / progress.total}%` }} />
          </div>
        </div>
      )}
      {err && <div className="field-error" role="alert">{err}</div>}
    </div>
  );
}
