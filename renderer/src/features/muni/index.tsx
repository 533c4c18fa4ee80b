/**
 * #/muni — the municipal roadmap as in seeds 002 and 004: sections, numbered items with
 * period, responsible and municipal indicator, and «Отчётная информация» per monitoring
 * stage (text and links).
 */
import { useState } from 'react';
import type { MuniItemRow } from '../../../../core/contract/muni';
import type { Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useChangedSinceOpen, useCloseGuard } from '../../components/closeGuard';
import { useConfirm } from '../../components/ConfirmDialog';
import { Modal } from '../../components/Modal';
import { EmptyState, LoadError } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';
import '../programmes/programmes.css';
import './muni.css';
import { formKeys } from '../../components/forms';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { districtToday } from '../../clock';

const m = t.muni;

type ItemDraft = { id?: string; section_id: string; description: string; period_text: string; responsible: string; indicator: string };
type ReportDraft = { item: MuniItemRow; stage_id: string };

export function MuniSection() {
  const [year, setYear] = useState(() => Number(districtToday().slice(0, 4)));
  const data = useCall('muni.get', { year });
  const toast = useApp((s) => s.toast);
  const undoableDelete = useUndoableDelete();
  const [dialog, confirm] = useConfirm();
  const [item, setItem] = useState<ItemDraft | null>(null);
  const [report, setReport] = useState<ReportDraft | null>(null);
  const [newSection, setNewSection] = useState('');
  const [sectionError, setSectionError] = useState<string | null>(null);
  // Only the coordinator edits the municipal roadmap: for everyone else it is a document to read.
  const canEdit = useCan('muni.edit').allowed;

  const d = data.data;
  // Report columns: the monitoring stages of the year (Мониторинг 1 и 2 этап), else every stage.
  const stages = d ? (d.stages.some((s) => s.code.startsWith('M')) ? d.stages.filter((s) => s.code.startsWith('M')) : d.stages) : [];

  const createSections = async () => {
    const r = await call('muni.createStandardSections', { year });
    if (!r.ok) toast(r.error.message, { kind: 'error' });
  };

  const addSection = async () => {
    const r = await call('muniSections.create', { year, title: newSection });
    if (!r.ok) return setSectionError(r.error.fields?.title ?? r.error.message);
    setNewSection('');
    setSectionError(null);
  };

  const removeItem = async (it: MuniItemRow) => {
    if (!(await confirm({ text: m.confirmDeleteItem(it.description), confirmLabel: t.common.delete, danger: true }))) return;
    await undoableDelete(() => call('muniItems.delete', { id: it.id }), m.itemDeleted);
  };

  const removeSection = async (s: Row<'muni_roadmap_sections'>) => {
    if (!(await confirm({ text: m.confirmDeleteSection(s.title), confirmLabel: t.common.delete, danger: true }))) return;
    const r = await call('muniSections.delete', { id: s.id });
    if (!r.ok) toast(r.error.message, { kind: 'error' });
  };

  return (
    <section className="page page-wide">
      {dialog}
      <div className="page-head">
        <h1>{m.title}</h1>
        <label className="actor">
          <span className="muted small">{m.year}:</span>
          <select value={year} onChange={(e) => setYear(Number(e.target.value))} aria-label={m.year}>
            {[...new Set([...(d?.years ?? []), year - 1, year, year + 1])].sort().map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">{m.intro}</p>
      {data.error && <LoadError error={data.error} onRetry={data.reload} />}
      {d && d.sections.length === 0 && (
        <EmptyState
          action={
            canEdit && (
              <button type="button" className="primary" onClick={() => void createSections()}>
                {m.createSections}
              </button>
            )
          }
        >
          {m.empty}
        </EmptyState>
      )}
      {d && d.sections.length > 0 && (
        <table className="grid muni-table">
          {/* Fixed layout: the table is as wide as the page and long text wraps inside its column. */}
          <colgroup>
            <col className="muni-col-n" />
            <col className="muni-col-description" />
            <col className="muni-col-period" />
            <col className="muni-col-responsible" />
            <col className="muni-col-indicator" />
            {stages.map((s) => (
              <col key={s.id} />
            ))}
            <col className="muni-col-del" />
          </colgroup>
          {/* As in seed 004: «Отчётная информация» over one column per monitoring stage. */}
          <thead>
            <tr>
              <th className="muni-n" rowSpan={2}>
                {m.cols.n}
              </th>
              <th rowSpan={2}>{m.cols.description}</th>
              <th rowSpan={2}>{m.cols.period}</th>
              <th rowSpan={2}>{m.cols.responsible}</th>
              <th rowSpan={2}>{m.cols.indicator}</th>
              <th colSpan={stages.length} className="muni-report-group">
                {m.cols.report}
              </th>
              <th rowSpan={2} aria-label={t.common.delete} />
            </tr>
            <tr>
              {stages.map((s) => (
                <th key={s.id} aria-label={`${m.cols.report}: ${s.title}`}>
                  {s.title}
                </th>
              ))}
            </tr>
          </thead>
          {d.sections.map((s, si) => (
            <tbody key={s.id}>
              <tr className="muni-section">
                <td colSpan={6 + stages.length}>
                  <b>
                    {si + 1}. {s.title}
                  </b>{' '}
                  {canEdit && (
                    <button type="button" className="link" onClick={() => setItem({ section_id: s.id, description: '', period_text: '', responsible: '', indicator: '' })}>
                      {m.addItem}
                    </button>
                  )}
                  {canEdit && s.items.length === 0 && (
                    <button type="button" className="link danger-link" onClick={() => void removeSection(s)}>
                      {m.deleteSection}
                    </button>
                  )}
                </td>
              </tr>
              {s.items.length === 0 && (
                <tr>
                  <td colSpan={6 + stages.length} className="muted small">
                    {m.emptySection}
                  </td>
                </tr>
              )}
              {s.items.map((it, ii) => (
                <tr key={it.id} data-item-id={it.id}>
                  <td className="muni-n">
                    {si + 1}.{ii + 1}.
                  </td>
                  <td>
                    {canEdit ? (
                      <button
                        type="button"
                        className="link muni-edit"
                        onClick={() => setItem({ id: it.id, section_id: s.id, description: it.description, period_text: it.period_text, responsible: it.responsible ?? '', indicator: it.indicator ?? '' })}
                      >
                        {it.description}
                      </button>
                    ) : (
                      it.description
                    )}
                  </td>
                  <td>{it.period_text}</td>
                  <td>{it.responsible}</td>
                  <td>{it.indicator}</td>
                  {stages.map((st) => {
                    const r = it.reports.find((x) => x.stage_id === st.id);
                    return (
                      <td key={st.id} className="muni-report" data-stage-code={st.code}>
                        {r ? (
                          <>
                            <div className="pre">{r.text}</div>
                            {r.links?.split('\n').map((l) => (
                              <div key={l} className="small muni-link">
                                <a href={l} target="_blank" rel="noreferrer noopener">
                                  {l}
                                </a>
                              </div>
                            ))}
                          </>
                        ) : (
                          <span className="muted small">{m.noReport}</span>
                        )}
                        {canEdit && (
                          <button type="button" className="link small muni-report-action" onClick={() => setReport({ item: it, stage_id: st.id })}>
                            {r ? t.common.edit : m.addReport}
                          </button>
                        )}
                      </td>
                    );
                  })}
                  <td className="muni-del">
                    {canEdit && (
                      <button type="button" className="icon" aria-label={m.deleteItem} title={m.deleteItem} onClick={() => void removeItem(it)}>
                        ×
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      )}
      {canEdit && d && d.sections.length > 0 && (
        <form
          className="add-task"
          onSubmit={(e) => {
            e.preventDefault();
            void addSection();
          }}
        >
          <input value={newSection} onChange={(e) => setNewSection(e.target.value)} placeholder={m.sectionTitle} aria-label={m.sectionTitle} aria-invalid={sectionError ? true : undefined} />
          <button type="submit">{m.addSection}</button>
          {sectionError && <span className="field-error">{sectionError}</span>}
        </form>
      )}
      {item && <ItemDialog draft={item} onClose={() => setItem(null)} />}
      {report && <ReportDialog draft={report} stages={stages} onClose={() => setReport(null)} />}
    </section>
  );
}

function ItemDialog({ draft, onClose }: { draft: ItemDraft; onClose: () => void }) {
  const [v, setV] = useState(draft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [closeQuestion, close] = useCloseGuard(useChangedSinceOpen(v), onClose);
  const set = (k: keyof ItemDraft) => (e: { target: { value: string } }) => {
    setV((x) => ({ ...x, [k]: e.target.value }));
    setErrors((x) => ({ ...x, [k]: '' }));
  };
  const submit = async () => {
    const fields = { description: v.description, period_text: v.period_text, responsible: v.responsible, indicator: v.indicator };
    const r = v.id ? await call('muniItems.update', { id: v.id, patch: fields }) : await call('muniItems.create', { section_id: v.section_id, ...fields });
    if (!r.ok) {
      const f: Record<string, string> = {};
      for (const [k, msg] of Object.entries(r.error.fields ?? {})) f[k.replace(/^patch\./, '')] = msg;
      setErrors(f);
      setBanner(r.error.message);
      return;
    }
    onClose();
  };
  const field = (k: keyof ItemDraft, label: string, rows: number) => (
    <label className="field">
      <span>{label}</span>
      {rows > 1 ? <textarea rows={rows} value={v[k] ?? ''} onChange={set(k)} aria-invalid={errors[k] ? true : undefined} /> : <input value={v[k] ?? ''} onChange={set(k)} aria-invalid={errors[k] ? true : undefined} />}
      {errors[k] && (
        <span className="field-error" role="alert">
          {errors[k]}
        </span>
      )}
    </label>
  );
  return (
    <Modal
      title={v.id ? m.itemTitle : m.newItem}
      onClose={close}
      width={620}
      footer={
        <>
          <button type="button" onClick={close}>
            {t.common.cancel}
          </button>
          <button type="button" className="primary" onClick={() => void submit()}>
            {t.common.save}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={formKeys(() => void submit())}
      >
        {closeQuestion}
        {banner && <div className="form-error">{banner}</div>}
        {field('description', m.cols.description, 3)}
        {field('period_text', m.cols.period, 1)}
        {field('responsible', m.cols.responsible, 1)}
        {field('indicator', m.cols.indicator, 2)}
      </form>
    </Modal>
  );
}

function ReportDialog({ draft, stages, onClose }: { draft: ReportDraft; stages: Row<'calendar_stages'>[]; onClose: () => void }) {
  const initial = (stageId: string) => draft.item.reports.find((r) => r.stage_id === stageId);
  const [stageId, setStageId] = useState(draft.stage_id);
  const [text, setText] = useState(initial(draft.stage_id)?.text ?? '');
  const [links, setLinks] = useState(initial(draft.stage_id)?.links ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [closeQuestion, close] = useCloseGuard(useChangedSinceOpen({ stageId, text, links }), onClose);
  const submit = async () => {
    const r = await call('muniReports.save', { item_id: draft.item.id, stage_id: stageId, text, links });
    if (!r.ok) return setErrors({ ...(r.error.fields ?? {}), _: r.error.message });
    onClose();
  };
  return (
    <Modal
      title={m.reportTitle}
      onClose={close}
      width={620}
      footer={
        <>
          <button type="button" onClick={close}>
            {t.common.cancel}
          </button>
          <button type="button" className="primary" onClick={() => void submit()}>
            {t.common.save}
          </button>
        </>
      }
    >
      {closeQuestion}
      <p className="muted">{draft.item.description}</p>
      {errors._ && <div className="form-error">{errors._}</div>}
      <label className="field">
        <span>{m.stage}</span>
        <select
          value={stageId}
          onChange={(e) => {
            setStageId(e.target.value);
            setText(initial(e.target.value)?.text ?? '');
            setLinks(initial(e.target.value)?.links ?? '');
          }}
        >
          {stages.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{m.reportText}</span>
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={errors.text ? true : undefined} />
        {errors.text && <span className="field-error">{errors.text}</span>}
      </label>
      <label className="field">
        <span>{m.links}</span>
        <textarea rows={3} value={links} placeholder="https://" onChange={(e) => setLinks(e.target.value)} aria-invalid={errors.links ? true : undefined} />
        {errors.links && (
          <span className="field-error" role="alert">
            {errors.links}
          </span>
        )}
      </label>
    </Modal>
  );
}
