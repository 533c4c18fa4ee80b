import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { PersonCard as Card } from '../../../../core/contract/people';
import { personFull, personShort } from '../../../../core/format';
import type { Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { CardLoader, EmptyState, Facts } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { disabledBy, useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';
import { IssueCodeButton } from '../auth/IssueCode';
import { AssignmentDialog } from './AssignmentDialog';
import { AssignmentsTable } from './AssignmentsTable';
import { rolesOf } from './roles';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { districtToday } from '../../clock';

const p = t.people;
const a = p.assignment;

export function PersonCardPage({ id }: { id: string }) {
  return (
    <CardLoader state={useCall('people.get', { id })} backLabel={p.backToList} notFound={p.notFound}>
      {(card) => <PersonCardView card={card} />}
    </CardLoader>
  );
}

function PersonCardView({ card }: { card: Card }) {
  const [, navigate] = useLocation();
  const toast = useApp((x) => x.toast);
  const toastUndoable = useApp((x) => x.toastUndoable);
  const undoableDelete = useUndoableDelete();
  const [dialog, confirm] = useConfirm();
  const [assigning, setAssigning] = useState<{ existing?: Row<'curator_assignments'>; school?: { id: string; label: string } } | null>(null);
  const person = card.person;
  const deleted = !!person.deleted_at;
  const canEdit = disabledBy(useCan('people.edit'));
  const canAssign = disabledBy(useCan('assignments.edit'));
  const name = personShort(person);

  const remove = async () => {
    if (!(await confirm({ text: p.deleteConfirm(personFull(person)), confirmLabel: t.common.delete, danger: true }))) return;
    if (!(await undoableDelete(() => call('people.delete', { id: person.id }), p.deleted(name)))) return;
    navigate('/');
  };

  const end = async (assignment: Row<'curator_assignments'>) => {
    const r = await call('assignments.update', { id: assignment.id, patch: { date_to: districtToday() } });
    if (!r.ok) return toast(r.error.fields?.['patch.date_to'] ?? r.error.fields?.date_to ?? r.error.message, { kind: 'error' });
    toastUndoable(a.saved, r.step);
  };

  const removeAssignment = async (id: string) => {
    if (!(await confirm({ text: a.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    await undoableDelete(() => call('assignments.delete', { id }), a.deleted);
  };

  return (
    <section className="page">
      <Link href="/" className="back">
        ← {p.backToList}
      </Link>
      <div className="page-head">
        <div className="grow">
          <h1>{personFull(person)}</h1>
          {person.position && <div className="subtitle">{person.position}</div>}
        </div>
        {!deleted && (
          <>
            <IssueCodeButton person={{ ...person, name }} />
            <button type="button" onClick={() => navigate(`/${person.id}/edit`)} {...canEdit}>
              {t.common.edit}
            </button>
            <button type="button" className="danger" onClick={() => void remove()} {...canEdit}>
              {t.common.delete}
            </button>
          </>
        )}
      </div>
      <div className="tags">
        {rolesOf(person).map((r) => (
          <span key={r} className="badge">
            {r}
          </span>
        ))}
        {deleted && <span className="badge danger">{t.common.movedToTrash}</span>}
      </div>

      <div className="card">
        <h2 className="card-title">{p.section.details}</h2>
        <Facts
          items={[
            [p.field.organisation, card.organisation ? <Link href={`~/schools/${card.organisation.id}`}>{card.organisation.short_name}</Link> : null],
            [p.field.position, person.position],
            [p.field.phone, person.phone],
            [p.field.email, person.email ? <a href={`mailto:${person.email}`}>{person.email}</a> : null],
          ]}
        />
      </div>

      {(person.is_curator || card.assignments.length > 0) && (
        <div className="card">
          <div className="card-head">
            <h2 className="card-title">{p.section.assignments}</h2>
            {!deleted && !!person.is_curator && (
              <button type="button" onClick={() => setAssigning({})} {...canAssign}>
                {a.assign}
              </button>
            )}
          </div>
          {card.assignments.length === 0 ? (
            <EmptyState>{p.noAssignments}</EmptyState>
          ) : (
            <AssignmentsTable
              label={p.section.assignments}
              partyHeader={a.col.school}
              rows={card.assignments.map(({ assignment, school, order }) => ({
                assignment,
                order,
                party: { href: `~/schools/${school.id}`, label: school.short_name },
              }))}
              onEnd={(assignment) => void end(assignment)}
              onEdit={({ assignment, party }) => setAssigning({ existing: assignment, school: { id: assignment.school_id, label: party.label } })}
              onDelete={(id) => void removeAssignment(id)}
            />
          )}
        </div>
      )}

      {card.directs.length > 0 && (
        <div className="card">
          <h2 className="card-title">{p.section.directs}</h2>
          <ul className="plain-list">
            {card.directs.map((s) => (
              <li key={s.id}>
                <Link href={`~/schools/${s.id}`}>{s.short_name}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}

      {assigning && (
        <AssignmentDialog
          onClose={() => setAssigning(null)}
          curator={{ id: person.id, label: name }}
          {...(assigning.existing ? { existing: assigning.existing } : {})}
          {...(assigning.school ? { school: assigning.school } : {})}
        />
      )}
      {dialog}
    </section>
  );
}
