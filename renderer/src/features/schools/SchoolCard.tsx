import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { SchoolCard as Card } from '../../../../core/contract/schools';
import { formatDate, personShort, today } from '../../../../core/format';
import type { Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { EmptyState, Facts, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { AssignmentDialog } from '../people/AssignmentDialog';
import { orderLabel } from '../people/orders';
import { RiskProfile } from './RiskProfile';

const s = t.schools;
const a = t.people.assignment;

export function SchoolCardPage({ id }: { id: string }) {
  const card = useCall('schools.get', { id });
  if (card.error) {
    return (
      <section className="page">
        <Link href="/" className="back">
          ← {s.backToList}
        </Link>
        {card.error.code === 'not_found' ? <EmptyState>{s.notFound}</EmptyState> : <LoadError error={card.error} onRetry={card.reload} />}
      </section>
    );
  }
  if (!card.data) return <div className="loading">{t.common.loading}</div>;
  return <SchoolCardView card={card.data} />;
}

function SchoolCardView({ card }: { card: Card }) {
  const [, navigate] = useLocation();
  const toast = useApp((x) => x.toast);
  const [dialog, confirm] = useConfirm();
  const [assigning, setAssigning] = useState<{ existing?: Row<'curator_assignments'> } | null>(null);
  const school = card.school;
  const deleted = !!school.deleted_at;

  const remove = async () => {
    if (!(await confirm({ text: s.deleteConfirm(school.short_name), confirmLabel: t.common.delete, danger: true }))) return;
    const r = await call('schools.delete', { id: school.id });
    if (!r.ok) return toast(r.error.message, { kind: 'error' });
    toast(s.deleted(school.short_name), {
      action: { label: t.common.undo, run: () => void call('trash.restore', { table: 'schools', id: school.id }) },
    });
    navigate('/');
  };

  const removeAssignment = async (id: string) => {
    if (!(await confirm({ text: a.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    const r = await call('assignments.delete', { id });
    if (!r.ok) return toast(r.error.message, { kind: 'error' });
    toast(a.deleted, { action: { label: t.common.undo, run: () => void call('trash.restore', { table: 'curator_assignments', id }) } });
  };

  return (
    <section className="page">
      <Link href="/" className="back">
        ← {s.backToList}
      </Link>
      <div className="page-head">
        <div className="grow">
          <h1>{school.short_name}</h1>
          <div className="subtitle">{school.full_name}</div>
        </div>
        {!deleted && (
          <>
            <button type="button" onClick={() => navigate(`/${school.id}/edit`)}>
              {t.common.edit}
            </button>
            <button type="button" className="danger" onClick={() => void remove()}>
              {t.common.delete}
            </button>
          </>
        )}
      </div>
      <div className="tags">
        {school.is_participant ? <span className="badge">{s.participant}</span> : <span className="badge muted">{s.donor}</span>}
        <span className={school.stage === 'forming' ? 'badge warn' : 'badge ok'}>{s.stage[school.stage]}</span>
        {deleted && <span className="badge danger">{t.common.movedToTrash}</span>}
      </div>

      <div className="card">
        <h2 className="card-title">{s.section.details}</h2>
        <Facts
          items={[
            [s.field.kind, school.kind],
            [s.field.cohort_year, school.cohort_year],
            [s.field.risk_group, school.risk_group],
            [s.field.director, card.director ? <Link href={`~/people/${card.director.id}`}>{personShort(card.director)}</Link> : null],
            [s.field.stage, s.stage[school.stage]],
            [s.field.address, school.address],
            [
              s.field.site_url,
              school.site_url ? (
                <a href={school.site_url} target="_blank" rel="noreferrer">
                  {school.site_url}
                </a>
              ) : null,
            ],
            [s.field.notes, school.notes],
          ]}
        />
      </div>

      <div className="card">
        <div className="card-head">
          <h2 className="card-title">{s.section.curators}</h2>
          {!deleted && (
            <button type="button" onClick={() => setAssigning({})}>
              {a.assign}
            </button>
          )}
        </div>
        {card.curators.length === 0 ? (
          <EmptyState>{s.noCurators}</EmptyState>
        ) : (
          <table className="grid" aria-label={s.section.curators}>
            <thead>
              <tr>
                <th>{a.col.curator}</th>
                <th>{a.col.period}</th>
                <th>{a.col.order}</th>
                <th>{a.col.status}</th>
                <th className="w-act2" />
              </tr>
            </thead>
            <tbody>
              {card.curators.map(({ assignment, curator, order }) => {
                const current = !assignment.date_to || assignment.date_to >= today();
                return (
                  <tr key={assignment.id}>
                    <td>
                      <Link href={`~/people/${curator.id}`}>{personShort(curator)}</Link>
                      {curator.position && <div className="muted small">{curator.position}</div>}
                    </td>
                    <td className="nowrap">
                      с {formatDate(assignment.date_from)}
                      {assignment.date_to ? ` по ${formatDate(assignment.date_to)}` : ''}
                    </td>
                    <td>{order ? <span title={order.title}>{orderLabel(order)}</span> : <span className="muted">—</span>}</td>
                    <td>{current ? <span className="badge ok">{a.current}</span> : <span className="badge muted">{a.ended}</span>}</td>
                    <td className="row-actions">
                      <button type="button" className="link" onClick={() => setAssigning({ existing: assignment })}>
                        {t.common.edit}
                      </button>
                      <button type="button" className="link danger" onClick={() => void removeAssignment(assignment.id)}>
                        {t.common.delete}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>

      <div className="card">
        <h2 className="card-title">{s.section.risk}</h2>
        <RiskProfile schoolId={school.id} rows={card.riskProfiles} />
      </div>

      {assigning && (
        <AssignmentDialog
          onClose={() => setAssigning(null)}
          school={{ id: school.id, label: school.short_name }}
          {...(assigning.existing
            ? {
                existing: assigning.existing,
                curator: (() => {
                  const c = card.curators.find((x) => x.assignment.id === assigning.existing!.id)!.curator;
                  return { id: c.id, label: personShort(c) };
                })(),
              }
            : {})}
        />
      )}
      {dialog}
    </section>
  );
}
