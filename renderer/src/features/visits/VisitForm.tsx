import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import type { InputOf } from '../../../../core/contract';
import type { VisitCard } from '../../../../core/contract/visits';
import type { SchoolStage, VisitFormat } from '../../../../db/schema';
import { call } from '../../bridge';
import { draftHasContent } from '../../../../core/rules/visitDraft';
import { useChangedSinceOpen, useCloseGuard } from '../../components/closeGuard';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { formKeys } from '../../components/forms';
import { LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { FormButtons } from '../../components/FormButtons';
import { useCan } from '../../hooks/useCan';
import { useCanAnywhere } from '../../hooks/useCanAnywhere';
import { useCuratorSelf } from './curatorSelf';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { districtTime, districtToday } from '../../clock';

const v = t.visits;
const f = v.form;
const AUTOSAVE_MS = 700;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

interface StepState {
  key: string;
  id?: string;
  text: string;
  due_date: string | null;
  done: boolean;
}

interface FormState {
  school_id: string;
  curator_id: string;
  date: string | null;
  format: VisitFormat;
  stage: SchoolStage | '';
  participants: string;
  topics: string;
  findings: string;
  recommendations: string;
  next_visit_date: string | null;
  topic_links: { programme_id: string | null; measure_id: string | null }[];
  steps: StepState[];
}

const blank = (schoolId = ''): FormState => ({
  school_id: schoolId,
  curator_id: '',
  date: districtToday(),
  format: 'school',
  stage: '',
  participants: '',
  topics: '',
  findings: '',
  recommendations: '',
  next_visit_date: null,
  topic_links: [],
  steps: [],
});

let stepSeq = 0;
const newStep = (s: Partial<StepState> = {}): StepState => ({ key: `s${++stepSeq}`, text: '', due_date: null, done: false, ...s });

function fromCard(card: VisitCard): FormState {
  const x = card.visit;
  return {
    school_id: x.school_id,
    curator_id: x.curator_id,
    date: x.date,
    format: x.format,
    stage: x.stage,
    participants: x.participants ?? '',
    topics: x.topics ?? '',
    findings: x.findings ?? '',
    recommendations: x.recommendations ?? '',
    next_visit_date: x.next_visit_date,
    topic_links: card.topic_links.map((l) => ({ programme_id: l.programme_id, measure_id: l.measure_id })),
    steps: card.steps.map((s) => newStep({ id: s.id, text: s.text, due_date: s.due_date, done: !!s.done })),
  };
}

const validDate = (d: string | null) => (d && ISO.test(d) ? d : null);

/**
 * Log a visit in under a minute: school first (curator and stage follow from it), the date
 * defaults to today, everything else is optional. While the entry is new or a draft it is
 * saved as a draft row a moment after each change, so closing the window loses nothing.
 */
export function VisitForm({ id, schoolId }: { id?: string; schoolId?: string }) {
  const [, navigate] = useLocation();
  const toast = useApp((s) => s.toast);
  const undoableDelete = useUndoableDelete();
  const [dialog, confirm] = useConfirm();
  const options = useCall('visits.options', {});
  const [rowId] = useState(() => id ?? crypto.randomUUID());
  const self = useCuratorSelf();
  const [state, setState] = useState<FormState | null>(id ? null : { ...blank(schoolId), curator_id: self?.personId ?? '' });
  const [isDraft, setIsDraft] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [draftInfo, setDraftInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<FormState | null>(state);
  latest.current = state;

  useEffect(() => {
    if (!id) return;
    void call('visits.get', { id }).then((r) => {
      if (!r.ok) return setLoadError(r.error.message);
      setState(fromCard(r.value));
      setIsDraft(!!r.value.visit.is_draft);
    });
  }, [id]);

  // A signed-in curator writes only their own visits; a viewer, or a curator at another's school, only reads.
  const may = useCan('visits.edit', state?.school_id || null);
  const never = useCanAnywhere('visits.edit').never;
  const othersVisit = !!id && !!self && !!state && state.curator_id !== self.personId;
  const readOnly = never || (!!state?.school_id && !may.allowed) || othersVisit;
  const readOnlyReason = !may.allowed ? may.reason : othersVisit ? f.curatorIsYou : null;

  const topicOptions = useCall('visits.topicOptions', { school_id: state?.school_id ?? '' }, { enabled: !!state?.school_id });

  // School chosen → its curator and stage, unless the user already picked them.
  const school = options.data?.schools.find((s) => s.id === state?.school_id);
  useEffect(() => {
    if (!school) return;
    setState((s) => (s ? { ...s, curator_id: s.curator_id || (self ? self.personId : school.curator_ids[0]) || '', stage: s.stage || school.stage } : s));
  }, [school, self]);

  const saveDraft = useCallback(async () => {
    timer.current = null;
    const s = latest.current;
    if (!s || !dirty.current) return;
    if (!s.school_id || !s.curator_id) {
      setDraftInfo(draftHasContent(s) ? f.draftNeedsSchool : null);
      return;
    }
    dirty.current = false;
    setDraftInfo(f.draftSaving);
    const input: InputOf<'visits.saveDraft'> = {
      id: rowId,
      school_id: s.school_id,
      curator_id: s.curator_id,
      format: s.format,
      participants: s.participants,
      topics: s.topics,
      findings: s.findings,
      recommendations: s.recommendations,
      next_visit_date: validDate(s.next_visit_date),
      topic_links: s.topic_links,
      steps: s.steps.map((st) => ({ ...(st.id ? { id: st.id } : {}), text: st.text, due_date: validDate(st.due_date), done: st.done })),
    };
    const date = validDate(s.date);
    if (date) input.date = date;
    if (s.stage) input.stage = s.stage;
    const r = await call('visits.saveDraft', input);
    // An edit made while this save was on its way is still waiting for its own.
    if (!r.ok) setDraftInfo(r.error.message);
    else if (dirty.current) setDraftInfo(f.draftSaving);
    else setDraftInfo(r.value ? f.draftSaved(districtTime(new Date())) : f.draftEmpty);
  }, [rowId]);

  // Flush a pending autosave when the form goes away (navigation inside the app).
  useEffect(
    () => () => {
      if (timer.current) {
        clearTimeout(timer.current);
        void saveDraft();
      }
    },
    [saveDraft],
  );

  const update = (patch: Partial<FormState>) => {
    if (readOnly) return;
    setState((s) => (s ? { ...s, ...patch } : s));
    for (const k of Object.keys(patch)) if (errors[k]) setErrors(({ [k]: _, ...rest }) => rest);
    if (!isDraft) return;
    dirty.current = true;
    // «Сохранён» must never stand beside an edit that is not saved yet.
    setDraftInfo(f.draftSaving);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
  };
  const updateStep = (key: string, patch: Partial<StepState>) => update({ steps: state!.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) });

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!state || busy) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setBusy(true);
    const r = await call('visits.save', {
      id: rowId,
      school_id: state.school_id,
      curator_id: state.curator_id,
      date: state.date ?? '',
      format: state.format,
      stage: (state.stage || undefined) as SchoolStage,
      participants: state.participants,
      topics: state.topics,
      findings: state.findings,
      recommendations: state.recommendations,
      next_visit_date: state.next_visit_date,
      topic_links: state.topic_links,
      steps: state.steps.map((st) => ({ ...(st.id ? { id: st.id } : {}), text: st.text, due_date: st.due_date, done: st.done })),
    });
    setBusy(false);
    if (r.ok) {
      dirty.current = false;
      toast(f.saved);
      navigate('/');
      return;
    }
    // Everything typed stays in the form; messages go next to the fields.
    setErrors(r.error.fields ?? {});
    setBanner(r.error.message);
    const first = Object.keys(r.error.fields ?? {})[0];
    if (first) document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }

  async function remove() {
    if (!(await confirm({ text: f.deleteConfirm, confirmLabel: t.common.delete, danger: true }))) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    dirty.current = false;
    if (!(await undoableDelete(() => call('visits.delete', { id: rowId }), f.deleted))) return;
    navigate('/');
  }

  // A draft with a school and curator saves itself, so closing loses nothing; otherwise
  // (no school yet, or a finished entry being edited) closing with changes asks first.
  const changed = useChangedSinceOpen(state, state !== null);
  const savesItself = isDraft && !!state?.school_id && !!state.curator_id;
  const [closeQuestion, close] = useCloseGuard(changed && !savesItself && !readOnly, () => navigate('/'));

  const programmes = topicOptions.data?.programmes ?? [];
  const measures = topicOptions.data?.measures ?? [];
  const linkTitle = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of topicOptions.data?.programmes ?? []) m.set(`${p.id}|`, p.title);
    for (const x of topicOptions.data?.measures ?? []) m.set(`|${x.id}`, `${x.title}${x.date_text ? ` (${x.date_text})` : ''}`);
    return m;
  }, [topicOptions.data]);

  if (loadError) return <LoadError error={{ code: 'load', message: loadError }} />;
  if (!state) return <div className="loading">{t.common.loading}</div>;

  const err = (k: string) => errors[k];
  const title = !id ? f.newTitle : isDraft ? f.draftTitle : f.editTitle;
  const curators = options.data?.curators ?? [];
  const schoolCurators = school ? curators.filter((c) => school.curator_ids.includes(c.id)) : [];
  const otherCurators = curators.filter((c) => !schoolCurators.includes(c));
  const schools = (options.data?.schools ?? []).filter((x) => !self || self.schoolIds.has(x.id) || x.id === state.school_id);

  return (
    <form className="visit-form" onSubmit={submit} onKeyDown={formKeys(() => void submit(), close)} noValidate>
      {dialog}
      {closeQuestion}
      <div className="page-head">
        <h1>{title}</h1>
        {isDraft && (
          <span className="muted small" role="status" aria-live="polite" data-testid="draft-status">
            {draftInfo ?? ''}
          </span>
        )}
      </div>
      {banner && (
        <div className="form-error" role="alert">
          {banner}
        </div>
      )}
      {readOnly && (
        <div className="note small" role="status">
          {f.readOnly}
          {readOnlyReason ? `: ${readOnlyReason}` : ''}
        </div>
      )}
      <fieldset className="bare" disabled={readOnly}>
        <div className="form-grid">
          <Field label={f.school} error={err('school_id')} required>
            {({ id: fid, describedBy }) => (
              <select
                id={fid}
                data-field="school_id"
                autoFocus={!id && !schoolId}
                value={state.school_id}
                aria-invalid={!!err('school_id') || undefined}
                aria-describedby={describedBy}
                onChange={(e) => update({ school_id: e.target.value, topic_links: [] })}
              >
                <option value="">{t.common.nothingChosen}</option>
                {schools.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={f.curator} error={err('curator_id')} required>
            {({ id: fid, describedBy }) => (
              <select
                id={fid}
                data-field="curator_id"
                value={state.curator_id}
                aria-invalid={!!err('curator_id') || undefined}
                aria-describedby={describedBy}
                onChange={(e) => update({ curator_id: e.target.value })}
                disabled={!!self}
                title={self ? f.curatorIsYou : undefined}
              >
                <option value="">{t.common.nothingChosen}</option>
                {schoolCurators.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
                {schoolCurators.length > 0 && otherCurators.length > 0 && <option disabled>──────────</option>}
                {otherCurators.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={f.stage} error={err('stage')} required>
            {({ id: fid, describedBy }) => (
              <select
                id={fid}
                data-field="stage"
                value={state.stage}
                aria-invalid={!!err('stage') || undefined}
                aria-describedby={describedBy}
                onChange={(e) => update({ stage: e.target.value as SchoolStage })}
              >
                <option value="">{t.common.nothingChosen}</option>
                <option value="forming">{v.stage.forming}</option>
                <option value="implementing">{v.stage.implementing}</option>
              </select>
            )}
          </Field>
          <Field label={f.date} error={err('date')} required>
            {({ id: fid, describedBy }) => (
              <DateInput id={fid} name="date" value={state.date} invalid={!!err('date')} describedBy={describedBy} autoFocus={!!schoolId} onChange={(d) => update({ date: d })} />
            )}
          </Field>
          <Field label={f.format} error={err('format')}>
            {({ id: fid }) => (
              <div className="segmented" role="radiogroup" id={fid} aria-label={f.format}>
                {(['school', 'online', 'phone'] as const).map((fmt) => (
                  <label key={fmt} className={state.format === fmt ? 'seg active' : 'seg'}>
                    <input type="radio" name="format" value={fmt} checked={state.format === fmt} onChange={() => update({ format: fmt })} />
                    {v.format[fmt]}
                  </label>
                ))}
              </div>
            )}
          </Field>
          <Field label={f.nextVisit} error={err('next_visit_date')}>
            {({ id: fid, describedBy }) => (
              <DateInput id={fid} name="next_visit_date" value={state.next_visit_date} invalid={!!err('next_visit_date')} describedBy={describedBy} onChange={(d) => update({ next_visit_date: d })} />
            )}
          </Field>
        </div>

        <Field label={f.participants} hint={f.participantsHint} error={err('participants')}>
          {({ id: fid, describedBy }) => (
            <input id={fid} data-field="participants" value={state.participants} aria-describedby={describedBy} onChange={(e) => update({ participants: e.target.value })} />
          )}
        </Field>
        <Field label={f.topics} error={err('topics')}>
          {({ id: fid }) => <textarea id={fid} data-field="topics" rows={2} value={state.topics} onChange={(e) => update({ topics: e.target.value })} />}
        </Field>
        {state.school_id && (
          <div className="field">
            <span>{f.topicLinks}</span>
            {state.topic_links.length > 0 && (
              <ul className="chips">
                {state.topic_links.map((l) => {
                  const key = `${l.programme_id ?? ''}|${l.measure_id ?? ''}`;
                  return (
                    <li key={key} className="chip">
                      {linkTitle.get(key) ?? '…'}
                      <button type="button" className="icon" aria-label={t.common.delete} onClick={() => update({ topic_links: state.topic_links.filter((x) => x !== l) })}>
                        ×
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            {programmes.length === 0 ? (
              <span className="field-hint">{f.noProgrammes}</span>
            ) : (
              <select
                aria-label={f.addTopic}
                value=""
                onChange={(e) => {
                  const [kind, value] = e.target.value.split(':');
                  if (!value) return;
                  const link = kind === 'p' ? { programme_id: value, measure_id: null } : { programme_id: null, measure_id: value };
                  if (!state.topic_links.some((x) => x.programme_id === link.programme_id && x.measure_id === link.measure_id)) update({ topic_links: [...state.topic_links, link] });
                }}
              >
                <option value="">{f.addTopic}</option>
                {programmes.map((p) => (
                  <optgroup key={p.id} label={p.title}>
                    <option value={`p:${p.id}`}>{p.title} — вся программа</option>
                    {measures
                      .filter((m) => m.programme_id === p.id)
                      .map((m) => (
                        <option key={m.id} value={`m:${m.id}`}>
                          {m.title}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            )}
          </div>
        )}
        <div className="form-grid two">
          <Field label={f.findings} error={err('findings')}>
            {({ id: fid }) => <textarea id={fid} data-field="findings" rows={3} value={state.findings} onChange={(e) => update({ findings: e.target.value })} />}
          </Field>
          <Field label={f.recommendations} error={err('recommendations')}>
            {({ id: fid }) => <textarea id={fid} data-field="recommendations" rows={3} value={state.recommendations} onChange={(e) => update({ recommendations: e.target.value })} />}
          </Field>
        </div>

        <fieldset className="steps">
          <legend>{f.steps}</legend>
          {state.steps.map((st, i) => (
            <div className="step-row" key={st.key}>
              <div className="step-text">
                <input
                  aria-label={`${f.stepText} ${i + 1}`}
                  data-field={`steps.${i}.text`}
                  value={st.text}
                  placeholder={f.stepText}
                  aria-invalid={!!err(`steps.${i}.text`) || undefined}
                  onChange={(e) => updateStep(st.key, { text: e.target.value })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
                      e.preventDefault();
                      update({ steps: [...state.steps, newStep()] });
                    }
                  }}
                  autoFocus={i === state.steps.length - 1 && !st.text && !st.id}
                />
                {err(`steps.${i}.text`) && <span className="field-error">{err(`steps.${i}.text`)}</span>}
              </div>
              <div className="step-due">
                <DateInput name={`steps.${i}.due_date`} value={st.due_date} invalid={!!err(`steps.${i}.due_date`)} onChange={(d) => updateStep(st.key, { due_date: d })} />
                {err(`steps.${i}.due_date`) && <span className="field-error">{err(`steps.${i}.due_date`)}</span>}
              </div>
              <label className="check">
                <input type="checkbox" checked={st.done} onChange={(e) => updateStep(st.key, { done: e.target.checked })} />
                <span>{f.stepDone}</span>
              </label>
              <button type="button" className="icon" aria-label={f.removeStep} title={f.removeStep} onClick={() => update({ steps: state.steps.filter((x) => x.key !== st.key) })}>
                ×
              </button>
            </div>
          ))}
          <button type="button" onClick={() => update({ steps: [...state.steps, newStep()] })}>
            + {f.addStep}
          </button>
        </fieldset>
      </fieldset>

      <FormButtons
        variant="inline"
        busy={busy}
        saveLabel={isDraft ? f.save : undefined}
        saveDisabled={readOnly}
        onCancel={close}
        onDelete={id && !readOnly ? () => void remove() : undefined}
      />
    </form>
  );
}
