import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { SchoolWork } from './SchoolWork';
import type { SchoolCard as Card } from '../../../../core/contract/schools';
import { personShort } from '../../../../core/format';
import type { Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { CardLoader, EmptyState, Facts } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { disabledBy, useCan } from '../../hooks/useCan';
import { AssignmentDialog } from '../people/AssignmentDialog';
import { AssignmentsTable } from '../people/AssignmentsTable';
import { RiskProfile } from './RiskProfile';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';

const s = t.schools;
const a = t.people.assignment;

export function SchoolCardPage({ id }: { id: string }) {
  return (
    <CardLoader state={useCall('schools.get', { id })} backLabel={s.backToList} notFound={s.notFound}>
      {(card) => <SchoolCardView card={card} />}
    </CardLoader>
  );
}

function SchoolCardView({ card }: { card: Card }) {
  const [, navigate] = useLocation();
  const undoableDelete = useUndoableDelete();
  const [dialog, confirm] = useConfirm();
  const [assigning, setAssigning] = useState<{ existing?: Row<'curator_assignments'> } | null>(null);
  const school = card.school;
  const deleted = !!school.deleted_at;
  const canEdit = disabledBy(useCan('schools.edit'));
  const canAssign = disabledBy(useCan('assignments.edit'));

  const remove = async () => {
    if (!(await confirm({ text: s.deleteConfirm(school.short_name), confirmLabel: t.common.delete, danger: true }))) return;
    if (!(await undoableDelete(() => call('schools.delete', { id: school.id }), s.deleted(school.short_name)))) return;
    navigate('/');
  };

  const removeAssignment = async (id: string) => {
    if (!(await confirm({ text: a.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    await undoableDelete(() => call('assignments.delete', { id }), a.deleted);
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
            <button type="button" onClick={() => navigate(`/${school.id}/edit`)} {...canEdit}>
              {t.common.edit}
            </button>
            <button type="button" className="danger" onClick={() => void remove()} {...canEdit}>
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

      {!deleted && <SchoolWork schoolId={school.id} isParticipant={!!school.is_participant} />}

      <div className="card">
        <div className="card-head">
          <h2 className="card-title">{s.section.curators}</h2>
          {!deleted && (
            <button type="button" onClick={() => setAssigning({})} {...canAssign}>
              {a.assign}
            </button>
          )}
        </div>
        {card.curators.length === 0 ? (
          <EmptyState>{s.noCurators}</EmptyState>
        ) : (
          <AssignmentsTable
            label={s.section.curators}
            partyHeader={a.col.curator}
            rows={card.curators.map(({ assignment, curator, order }) => ({
              assignment,
              order,
              party: { href: `~/people/${curator.id}`, label: personShort(curator), note: curator.position },
            }))}
            onEdit={({ assignment }) => setAssigning({ existing: assignment })}
            onDelete={(id) => void removeAssignment(id)}
          />
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
