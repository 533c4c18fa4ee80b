/**
 * #/import/muni — the municipal roadmap from Word or Excel (seed 004's table): sections
 * and items shown as they will be written, the year and the monitoring stage the report
 * column belongs to (guessed from its header), then one call writes it.
 */
import { Fragment, useState } from 'react';
import { Link } from 'wouter';
import type { MuniCommitResult, MuniPreview } from '../../../../core/contract/roadmapImports';
import { call } from '../../bridge';
import { useCall } from '../../hooks/useCall';
import { useCan } from '../../hooks/useCan';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { FileStep } from './FileStep';
import { ImportFrame } from './ImportFrame';
import type { PickedFile } from './readImportFile';

const tr = t.roadmapImports;

/** The year a roadmap's periods name most («Август-ноябрь 2022»), else this year. */
function yearOf(preview: MuniPreview): number {
  const years = preview.sections.flatMap((s) => s.items.flatMap((i) => i.period_text.match(/20\d\d/g) ?? [])).map(Number);
  return years.length ? years.sort((a, b) => years.filter((y) => y === b).length - years.filter((y) => y === a).length)[0]! : new Date().getFullYear();
}

export function MuniImport() {
  const toast = useApp((s) => s.toast);
  const [preview, setPreview] = useState<MuniPreview | null>(null);
  const [year, setYear] = useState(new Date().getFullYear());
  /** «auto»: the stage the report column's header names. */
  const [stageChoice, setStageChoice] = useState<string | null>('auto');
  const [result, setResult] = useState<MuniCommitResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const can = useCan('muni.edit');
  const muni = useCall('muni.get', { year }, { enabled: !!preview });
  const stages = muni.data?.stages ?? [];
  const guessed = stages.find((s) => s.code === preview?.stageCode)?.id ?? null;
  const stage = stageChoice === 'auto' ? guessed : stageChoice;

  const read = async (picked: PickedFile) => {
    const r = await call('imports.muniPreview', picked);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setPreview(r.value);
    setYear(yearOf(r.value));
    setStageChoice('auto');
  };

  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    const r = await call('imports.muniCommit', { year, stage_id: preview.reportHeader ? stage : null, sections: preview.sections });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setResult(r.value);
    toast(tr.muniDone(r.value));
  };

  const step = result ? 2 : preview ? 1 : 0;
  return (
    <ImportFrame title={`${t.imports.title}: ${tr.muni.title.charAt(0).toLowerCase()}${tr.muni.title.slice(1)}`} steps={tr.steps} step={step} error={error}>
      {!preview && <FileStep accept=".docx,.xlsx" hint={`${tr.muni.hint} ${tr.fileHint}`} onFile={read} onError={setError} />}
      {preview && !result && (
        <>
          <div className="toolbar">
            <strong>{preview.fileName}</strong>
            <button type="button" onClick={() => setPreview(null)}>
              {t.imports.another}
            </button>
          </div>
          <p className="muted">
            {tr.muniSummary(preview.sections.length, preview.sections.reduce((n, s) => n + s.items.length, 0))} {preview.reportHeader && tr.reportColumn(preview.reportHeader)}
          </p>
          <div className="import-counts">
            <label>
              {tr.year}{' '}
              <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} aria-label={tr.year} style={{ width: 90 }} />
            </label>
            {preview.reportHeader && (
              <label>
                {tr.stage}{' '}
                <select value={stage ?? ''} onChange={(e) => setStageChoice(e.target.value || null)} aria-label={tr.stage}>
                  <option value="">{tr.noStage}</option>
                  {stages.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <span className="grow" />
            <button type="button" className="primary" disabled={busy || !can.allowed} title={can.allowed ? undefined : can.reason} onClick={() => void confirm()}>
              {busy ? t.imports.committing : tr.muniConfirm}
            </button>
          </div>
          <div className="import-preview table-scroll">
            <table className="grid">
              <thead>
                <tr>
                  <th>{tr.colNo}</th>
                  <th>{tr.colDescription}</th>
                  <th>{tr.colPeriod}</th>
                  <th>{tr.colIndicator}</th>
                  <th>{tr.colReport}</th>
                </tr>
              </thead>
              <tbody>
                {preview.sections.map((s, si) => (
                  <Fragment key={si}>
                    <tr>
                      <th colSpan={5}>
                        {si + 1}. {s.title}
                      </th>
                    </tr>
                    {s.items.map((i, ii) => (
                      <tr key={ii}>
                        <td>
                          {si + 1}.{ii + 1}
                        </td>
                        <td className="import-cell">{i.description}</td>
                        <td>{i.period_text}</td>
                        <td className="import-cell">{i.indicator}</td>
                        <td className="import-cell">
                          {i.report_text}
                          {i.report_links.map((l) => (
                            <div key={l} className="small">
                              {l}
                            </div>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {result && (
        <div className="card" role="status" data-testid="import-done">
          <p>{tr.muniDone(result)}</p>
          <Link href="~/muni">{tr.openMuni}</Link>
        </div>
      )}
    </ImportFrame>
  );
}
