import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { formatDate } from '../../../../core/format';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { useCan, disabledBy } from '../../hooks/useCan';
import { PageSchool } from './pageSchool';
import { Comments } from './Comments';
import { attachFiles, MeasurePanel } from './MeasurePanel';
import { ProgrammeForm } from './ProgrammeForm';
import { RoadmapGrid } from './RoadmapGrid';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';

/** #/programmes/:id — the passport of a programme and its roadmap. */
export function ProgrammePage({ id }: { id: string }) {
  const detail = useCall('programmes.get', { id });
  const [, navigate] = useLocation();
  const toast = useApp((a) => a.toast);
  const [dialog, confirm] = useConfirm();
  const undoableDelete = useUndoableDelete();
  const [editing, setEditing] = useState(false);
  const [openMeasure, setOpenMeasure] = useState<string | null>(null);
  const [newTask, setNewTask] = useState('');
  const [taskError, setTaskError] = useState<string | null>(null);
  const canEdit = useCan('programmes.edit', detail.data?.school.id);

  if (detail.error)
    return (
      <section className="page">
        <LoadError error={detail.error} onRetry={detail.reload} />
      </section>
    );
  if (!detail.data) return <div className="loading">{t.common.loading}</div>;
  const d = detail.data;
  const p = d.programme;
  const open = d.measures.find((m) => m.id === openMeasure) ?? null;

  const addTask = async () => {
    const r = await call('programmeTasks.create', { programme_id: p.id, title: newTask });
    if (!r.ok) return setTaskError(r.error.fields?.title ?? r.error.message);
    setNewTask('');
    setTaskError(null);
  };

  const remove = async () => {
    if (!(await confirm({ text: t.programmes.confirmDeleteProgramme(p.title), confirmLabel: t.common.delete, danger: true }))) return;
    if (await undoableDelete(() => call('programmes.delete', { id: p.id }), t.programmes.programmeDeleted)) navigate(`/school/${d.school.id}`);
  };

  const drop = async (measureId: string, files: File[]) => {
    if (!canEdit.allowed) return toast(canEdit.reason, { kind: 'error' });
    const r = await attachFiles(measureId, files);
    for (const e of r.errors) toast(e, { kind: 'error' });
    for (const a of r.added) toast(t.programmes.panel.attached(a));
  };

  return (
    <PageSchool.Provider value={d.school.id}>
      <section className={open ? 'page page-wide with-panel' : 'page page-wide'}>
        {dialog}
        <Link href={`/school/${d.school.id}`} className="back">
          {t.programmes.backToSchool}
        </Link>
        <h1 className="programme-title">{p.title}</h1>
        <div className="programme-bar">
          <span className="grow" />
          <button type="button" onClick={() => setEditing(true)} {...disabledBy(canEdit)}>
            {t.programmes.editPassport}
          </button>
          <button type="button" className="danger" onClick={() => void remove()} {...disabledBy(canEdit)}>
            {t.programmes.deleteProgramme}
          </button>
        </div>
        <details className="card passport">
          <summary>
            {t.programmes.passport}: {t.programmes.kinds[p.kind].toLowerCase()}
            {p.period_from || p.period_to ? `, ${formatDate(p.period_from)} — ${formatDate(p.period_to)}` : ''}
          </summary>
          <div className="passport-grid">
            <div>
              <div className="muted small">{t.programmes.form.kind}</div>
              {t.programmes.kinds[p.kind]}
              {d.risk_factor_title && <div className="small">{d.risk_factor_title}</div>}
              <div className="muted small">{d.school.full_name}</div>
            </div>
            <div>
              <div className="muted small">{t.programmes.form.goal}</div>
              {p.goal ?? <span className="muted">—</span>}
            </div>
            <div>
              <div className="muted small">{t.programmes.form.targetIndicators}</div>
              <div className="pre">{p.target_indicators ?? <span className="muted">—</span>}</div>
            </div>
            <div>
              <div className="muted small">
                {t.programmes.form.periodFrom} — {t.programmes.form.periodTo.toLowerCase()}
              </div>
              {p.period_from || p.period_to ? `${formatDate(p.period_from)} — ${formatDate(p.period_to)}` : <span className="muted">—</span>}
            </div>
          </div>
        </details>

        <h2>{t.programmes.roadmap}</h2>
        {d.tasks.length === 0 && d.measures.length === 0 ? (
          <div className="empty">{t.programmes.noTasks}</div>
        ) : (
          <RoadmapGrid programmeId={p.id} tasks={d.tasks} measures={d.measures} onOpenMeasure={setOpenMeasure} onDropFiles={(m, f) => void drop(m, f)} openMeasureId={openMeasure} readOnly={canEdit.allowed ? null : canEdit.reason} />
        )}
        {canEdit.allowed && (
          <form
            className="add-task"
            onSubmit={(e) => {
              e.preventDefault();
              void addTask();
            }}
          >
            <input
              value={newTask}
              onChange={(e) => {
                setNewTask(e.target.value);
                setTaskError(null);
              }}
              placeholder={t.programmes.newTaskPlaceholder}
              aria-label={t.programmes.addTask}
              aria-invalid={taskError ? true : undefined}
            />
            <button type="submit">{t.programmes.addTask}</button>
            {taskError && (
              <span className="field-error" role="alert">
                {taskError}
              </span>
            )}
          </form>
        )}

        <h2>
          {t.programmes.comments.title} ({d.comments})
        </h2>
        <Comments target="programmes" id={p.id} />

        {open && <MeasurePanel measure={open} onClose={() => setOpenMeasure(null)} />}
        {editing && <ProgrammeForm schoolId={d.school.id} programme={p} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      </section>
    </PageSchool.Provider>
  );
}
