/**
 * #/import/roadmap — an АРП roadmap from Word or Excel. The file is read into the
 * roadmap grid itself (read-only, with the date lint's marks), the user picks the school
 * and the programme — an existing one or a new АРП for a risk factor — and «Загрузить»
 * writes it in one call, so one «Отменить» takes the whole import back.
 */
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { RoadmapCommitResult, RoadmapPreview } from '../../../../core/contract/roadmapImports';
import { call } from '../../bridge';
import { useCall } from '../../hooks/useCall';
import { useCan } from '../../hooks/useCan';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { RoadmapGrid } from '../programmes/RoadmapGrid';
import { draftRoadmap, PREVIEW_PROGRAMME } from './draftRoadmap';
import { FileStep } from './FileStep';
import { ImportFrame } from './ImportFrame';
import type { PickedFile } from './readImportFile';

const tr = t.roadmapImports;
const noop = () => {};

export function RoadmapImport() {
  const toast = useApp((s) => s.toast);
  const [preview, setPreview] = useState<RoadmapPreview | null>(null);
  const [tableIndex, setTableIndex] = useState(0);
  const [schoolId, setSchoolId] = useState('');
  const [target, setTarget] = useState('');
  const [result, setResult] = useState<RoadmapCommitResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const schools = useCall('programmes.schools', {});
  const factors = useCall('riskFactors.list', {});
  const programmes = useCall('programmes.forSchool', { school_id: schoolId }, { enabled: !!schoolId });
  const can = useCan('programmes.edit', schoolId || null);

  const table = preview?.tables[tableIndex] ?? null;
  const grid = useMemo(() => draftRoadmap(table?.measures ?? []), [table]);
  const withArp = new Set((programmes.data?.programmes ?? []).map((p) => p.risk_factor_id));

  const read = async (picked: PickedFile) => {
    const r = await call('imports.roadmapPreview', picked);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setPreview(r.value);
    // The biggest table is the roadmap more often than a small one above it.
    const biggest = r.value.tables.reduce((best, x, i, all) => (x.measures.length > all[best]!.measures.length ? i : best), 0);
    setTableIndex(biggest);
  };

  const confirm = async () => {
    if (!table) return;
    const [kind, id] = target.split(':');
    if (!schoolId || !id) return setError(tr.needTarget);
    setBusy(true);
    const r = await call('imports.roadmapCommit', {
      target: kind === 'p' ? { programme_id: id } : { school_id: schoolId, risk_factor_id: id },
      measures: table.measures,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setResult(r.value);
    toast(tr.done(r.value));
  };

  const restart = () => {
    setPreview(null);
    setResult(null);
    setError(null);
    setTarget('');
  };

  const step = result ? 2 : preview ? 1 : 0;
  const measures = table?.measures.filter((m) => m.title) ?? [];
  return (
    <ImportFrame title={`${t.imports.title}: ${tr.roadmap.title}`} steps={tr.steps} step={step} error={error}>
      {!preview && <FileStep accept=".docx,.xlsx" hint={`${tr.roadmap.hint} ${tr.fileHint}`} onFile={read} onError={setError} />}
      {preview && table && !result && (
        <>
          <div className="toolbar">
            <strong>{preview.fileName}</strong>
            {preview.tables.length > 1 && (
              <label>
                {tr.table}{' '}
                <select value={tableIndex} onChange={(e) => setTableIndex(Number(e.target.value))} aria-label={tr.table}>
                  {preview.tables.map((x, i) => (
                    <option key={x.index} value={i}>
                      {tr.tableOption(x.index, x.measures.filter((m) => m.title).length)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" onClick={restart}>
              {t.imports.another}
            </button>
          </div>
          <p className="muted" data-testid="roadmap-import-summary">
            {tr.summary(measures.length, grid.tasks.length, measures.filter((m) => m.date_vague).length, measures.reduce((n, m) => n + m.evidence.length, 0))}{' '}
            {tr.columns(table.columns)}
          </p>
          {table.skipped.length > 0 && (
            <details className="import-skipped">
              <summary>{tr.skipped(table.skipped.length)}</summary>
              <ul>
                {table.skipped.map((s) => (
                  <li key={s.row}>{tr.skippedRow(s.row, s.reason)}</li>
                ))}
              </ul>
            </details>
          )}
          <div className="import-counts">
            <label>
              {tr.school}{' '}
              <select
                value={schoolId}
                onChange={(e) => {
                  setSchoolId(e.target.value);
                  setTarget('');
                }}
                aria-label={tr.school}
              >
                <option value="">{tr.chooseSchool}</option>
                {(schools.data ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.short_name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {tr.programme}{' '}
              <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label={tr.programme} disabled={!schoolId || !programmes.data}>
                <option value="">{tr.chooseProgramme}</option>
                {(programmes.data?.programmes.length ?? 0) > 0 && (
                  <optgroup label={tr.existing}>
                    {programmes.data!.programmes.map((p) => (
                      <option key={p.id} value={`p:${p.id}`}>
                        {p.title}
                      </option>
                    ))}
                  </optgroup>
                )}
                <optgroup label={tr.newArp}>
                  {(factors.data ?? [])
                    .filter((f) => !withArp.has(f.id))
                    .map((f) => (
                      <option key={f.id} value={`f:${f.id}`}>
                        {f.code}. {f.title}
                      </option>
                    ))}
                </optgroup>
              </select>
            </label>
            <span className="grow" />
            <button
              type="button"
              className="primary"
              disabled={busy || !target || measures.length === 0 || !can.allowed}
              title={can.allowed ? undefined : can.reason}
              onClick={() => void confirm()}
            >
              {busy ? t.imports.committing : tr.confirm(measures.length)}
            </button>
          </div>
          <div className="import-roadmap" data-testid="roadmap-import-grid">
            <RoadmapGrid programmeId={PREVIEW_PROGRAMME} tasks={grid.tasks} measures={grid.measures} onOpenMeasure={noop} onDropFiles={noop} openMeasureId={null} readOnly={tr.readOnly} />
          </div>
        </>
      )}
      {result && (
        <div className="card" role="status" data-testid="import-done">
          <p>{tr.done(result)}</p>
          <div className="toolbar">
            <Link href={`~/programmes/${result.programme_id}`}>{tr.openProgramme}</Link>
            <button type="button" onClick={restart}>
              {t.imports.more}
            </button>
          </div>
        </div>
      )}
    </ImportFrame>
  );
}
