import { useState } from 'react';
import { Link } from 'wouter';
import type { SheetRow } from '../../../../core/monitoring/summary';
import { DUE_RULE } from '../../../../core/rules/due';
import { CRITERION_TITLES, JUDGED_CRITERIA, type DueItem, type PointCriterion, type ReasonItem } from '../../../../core/rules/expertise';
import { call } from '../../bridge';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { disabledBy, useCan } from '../../hooks/useCan';
import type { Decision } from '../../../../core/rules/permissions';
import { ruDate } from './common';
import { printHref } from './download';

const s = t.reports.sheet;

export function SheetPage({ programmeId, reportingDate }: { programmeId: string; reportingDate: string }) {
  const { data, error } = useCall('expertise.sheet', { programmeId, reportingDate });
  const may = useCan('expertise.mark', data?.schoolId);
  if (error) return <section className="page"><div className="form-error" role="alert">{error.message}</div></section>;
  if (!data) return <div className="loading">{t.common.loading}</div>;
  const sheet = data.sheet;
  return (
    <section className="page">
      <Link href="/" className="no-print">{s.back}</Link>
      <div className="page-head" style={{ marginTop: 8 }}>
        <h1>
          {s.title}: {data.schoolName} — {data.programmeTitle}
        </h1>
        <Link href={printHref({ kind: 'programme', programmeId, reportingDate })} className="no-print">{s.print}</Link>
      </div>
      <p className="muted">{t.reports.reportingDate}: {ruDate(reportingDate)}</p>
      {!sheet.assessable ? (
        <div className="card">
          <div className="rp-points">{s.notAssessable}</div>
          <p>{sheet.reason}</p>
        </div>
      ) : (
        <>
          <div className="card">
            <div className="rp-points">{s.total(sheet.total, sheet.max)}</div>
            {sheet.awaitingMarks.length > 0 && <p className="badge warn">{t.reports.expertise.provisional(1)}</p>}
          </div>
          <div className="card">
            <div className="rp-crit">
              <div>
                <strong>{CRITERION_TITLES.plan}</strong>
                <div>{sheet.plan.reason}</div>
                <ReasonList items={sheet.plan.missing} />
                <DueList title={s.counted} items={sheet.plan.counted} row={data} may={may} />
                <DueList title={s.notDue} items={sheet.plan.notDue} row={data} may={may} />
                <p className="small muted">{DUE_RULE} {t.reports.expertise.roundingNote}</p>
              </div>
              <div className="rp-points">{sheet.plan.points ?? 'Н/о'}</div>
            </div>
            {sheet.criteria.map((c) => (
              <div className="rp-crit" key={c.criterion}>
                <div>
                  <strong>{CRITERION_TITLES[c.criterion]}</strong> <span className={c.source === 'suggestion' ? 'badge warn' : 'badge muted'}>{s.source[c.source]}</span>
                  <div>{c.reason}</div>
                  <ReasonList items={c.items} />
                  {c.mark && <div className="small muted">{s.markedBy(c.mark.by_name ?? '—', ruDate(c.mark.at))}{c.mark.comment ? `: ${c.mark.comment}` : ''}</div>}
                  {JUDGED_CRITERIA.includes(c.criterion) && <MarkForm row={data} criterion={c.criterion} suggested={c.suggested} may={may} />}
                </div>
                <div className="rp-points">{c.points}</div>
              </div>
            ))}
          </div>
        </>
      )}
      <NoteForm row={data} may={may} />
    </section>
  );
}

/** Which measures the due rule counted at the reporting date (or not yet), each with why; an expert may read one differently. */
function DueList({ title, items, row, may }: { title: string; items: DueItem[]; row: SheetRow; may: Decision }) {
  if (items.length === 0) return null;
  return (
    <details className="rp-due" open>
      <summary className="small">{title}: {items.length}</summary>
      <ul className="rp-items">
        {items.map((i) => (
          <li key={i.id}>
            {i.title} — <span className={i.override ? 'badge warn' : 'muted'}>{i.note}</span>
            {i.override && <span className="small muted"> ({ruDate(i.override.at.slice(0, 10))})</span>} <DueOverride item={i} row={row} may={may} />
          </li>
        ))}
      </ul>
    </details>
  );
}

/** «Читать срок иначе»: the expert counts a measure as due or not at this date, saying why; «как по правилу» withdraws it. */
function DueOverride({ item, row, may }: { item: DueItem; row: SheetRow; may: Decision }) {
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState(item.override?.comment ?? '');
  const [err, setErr] = useState<string | null>(null);
  const toast = useApp((a) => a.toast);
  const save = async (due: boolean | null) => {
    const r = await call('expertise.overrideDue', { programmeId: row.programmeId, reportingDate: row.sheet.reportingDate, measureId: item.id, due, comment: comment || null });
    if (!r.ok) setErr(r.error.fields?.comment ?? r.error.message);
    else {
      setErr(null);
      setOpen(false);
      toast(due === null ? s.overrideCleared : s.saved);
    }
  };
  if (!open) {
    return (
      <button type="button" className="link no-print small" onClick={() => setOpen(true)} {...disabledBy(may)}>
        {s.override}
      </button>
    );
  }
  return (
    <div className="rp-mark no-print">
      <input aria-label={s.overrideWhy} placeholder={s.overrideWhy} value={comment} onChange={(e) => setComment(e.target.value)} style={{ minWidth: 240 }} autoFocus />
      <button type="button" onClick={() => void save(true)}>{s.overrideDue}</button>
      <button type="button" onClick={() => void save(false)}>{s.overrideNotDue}</button>
      {item.override && <button type="button" onClick={() => void save(null)}>{s.overrideRule}</button>}
      <button type="button" onClick={() => setOpen(false)}>{t.common.cancel}</button>
      {err && <span className="field-error" role="alert">{err}</span>}
    </div>
  );
}

function ReasonList({ items }: { items: ReasonItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="rp-items">
      {items.map((i) => (
        <li key={i.id}>
          {i.title} — {i.confirmedNotDone ? <span className="badge warn">{i.note}</span> : <span className="muted">{i.note}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Marks are signed by the signed-in person (the core takes the author from the session). */
function MarkForm({ row, criterion, suggested, may }: { row: SheetRow; criterion: PointCriterion; suggested: number; may: Decision }) {
  const [comment, setComment] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const toast = useApp((a) => a.toast);
  const save = async (value: 0 | 1) => {
    const r = await call('expertise.mark', { programmeId: row.programmeId, reportingDate: row.sheet.reportingDate, criterion: criterion as 'indicators' | 'evidence_fact', value, comment });
    if (!r.ok) setErr(r.error.fields?.comment ?? r.error.message);
    else {
      setErr(null);
      toast(s.saved);
    }
  };
  return (
    <div className="rp-mark no-print">
      <span className="small muted">{s.suggested(suggested)}</span>
      <input aria-label={s.comment} placeholder={s.comment} value={comment} onChange={(e) => setComment(e.target.value)} style={{ minWidth: 240 }} {...disabledBy(may)} />
      <button type="button" onClick={() => void save(1)} {...disabledBy(may)}>{s.markYes}</button>
      <button type="button" onClick={() => void save(0)} {...disabledBy(may)}>{s.markNo}</button>
      {err && <span className="field-error">{err}</span>}
    </div>
  );
}

function NoteForm({ row, may }: { row: SheetRow; may: Decision }) {
  const [note, setNote] = useState(row.note ?? '');
  const [err, setErr] = useState<string | null>(null);
  const toast = useApp((a) => a.toast);
  const save = async () => {
    const r = await call('expertise.mark', { programmeId: row.programmeId, reportingDate: row.sheet.reportingDate, criterion: 'note', value: 0, comment: note });
    if (!r.ok) setErr(r.error.fields?.comment ?? r.error.message);
    else {
      setErr(null);
      toast(s.saved);
    }
  };
  return (
    <div className="card no-print">
      <label className="field">
        <span>{s.note}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={err ? true : undefined} {...disabledBy(may)} />
        {err && <span className="field-error">{err}</span>}
      </label>
      <button type="button" onClick={() => void save()} {...disabledBy(may)}>{s.saveNote}</button>
    </div>
  );
}
