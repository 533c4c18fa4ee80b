/**
 * A list of schools, people or curator assignments from XLSX/CSV: the file is read, the
 * columns guessed from the header (editable), every row shown with what will happen, and
 * only «Загрузить» writes — one call, so one «Отменить» takes the whole import back.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import type { ImportKind, ImportPreview, ImportRequest, ImportResult, ImportTable, RowStatus } from '../../../../core/contract/imports';
import type { Result } from '../../../../core/contract';
import { call } from '../../bridge';
import { t } from '../../i18n/ru';
import { useCan } from '../../hooks/useCan';
import { useApp } from '../../stores/app';
import { download } from '../sync/FileEnrol';
import { FileStep } from './FileStep';
import { ImportFrame } from './ImportFrame';
import { PreviewTable } from './PreviewTable';
import type { PickedFile } from './readImportFile';

const tr = t.imports;
const STATUSES: RowStatus[] = ['new', 'changed', 'same', 'refused'];

function commit(kind: ImportKind, req: Omit<ImportRequest, 'kind'>): Promise<Result<ImportResult>> {
  switch (kind) {
    case 'schools':
      return call('imports.commitSchools', { ...req, kind });
    case 'people':
      return call('imports.commitPeople', { ...req, kind });
    case 'assignments':
      return call('imports.commitAssignments', { ...req, kind });
  }
}

const ACTION = { schools: 'schools.edit', people: 'people.edit', assignments: 'assignments.edit' } as const;

export function TableImport({ kind }: { kind: ImportKind }) {
  const toast = useApp((s) => s.toast);
  const can = useCan(ACTION[kind]);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [table, setTable] = useState<ImportTable | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (rows: string[][], mapping?: (string | null)[], headerRow?: number) => {
    const r = await call('imports.preview', { kind, rows, mapping: mapping ?? null, headerRow: headerRow ?? null });
    setPreview(r.ok ? r.value : null);
    setError(r.ok ? null : r.error.message);
  };

  const read = async (picked: PickedFile, sheet?: string) => {
    const r = await call('imports.read', { ...picked, sheet: sheet ?? null });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setFile(picked);
    setTable(r.value);
    await check(r.value.rows);
  };

  const remap = (col: number, field: string | null) => {
    if (!table || !preview) return;
    const mapping = preview.mapping.map((f, i) => (i === col ? field : f === field && field !== null ? null : f));
    void check(table.rows, mapping, preview.headerRow);
  };

  const confirm = async () => {
    if (!table || !preview) return;
    setBusy(true);
    const r = await commit(kind, { rows: table.rows, mapping: preview.mapping, headerRow: preview.headerRow });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setResult(r.value);
    toast(tr.done(r.value.written));
  };

  const template = async () => {
    const r = await call('imports.template', { kind });
    if (r.ok) download(r.value.base64, r.value.fileName);
    else setError(r.error.message);
  };

  const restart = () => {
    setFile(null);
    setTable(null);
    setPreview(null);
    setResult(null);
    setError(null);
  };

  const step = result ? 2 : table ? 1 : 0;
  const toWrite = preview ? preview.counts.new + preview.counts.changed : 0;
  return (
    <ImportFrame title={`${tr.title}: ${tr.kinds[kind].title.toLowerCase()}`} steps={tr.steps} step={step} error={error}>
      {!table && (
        <FileStep
          accept=".xlsx,.csv,.txt"
          hint={`${tr.kinds[kind].hint} ${tr.fileHint}`}
          onFile={(f) => read(f)}
          onError={setError}
          extra={
            <button type="button" onClick={() => void template()}>
              {tr.template}
            </button>
          }
        />
      )}
      {table && !result && (
        <>
          <div className="toolbar">
            <strong>{table.fileName}</strong>
            {table.sheets.length > 1 && file && (
              <label>
                {tr.sheet}{' '}
                <select value={table.sheet} onChange={(e) => void read(file, e.target.value)} aria-label={tr.sheet}>
                  {table.sheets.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" onClick={restart}>
              {tr.another}
            </button>
          </div>
          {preview && (
            <>
              <div className="import-counts" data-testid="import-counts">
                {STATUSES.map((s) => (
                  <span key={s} className="badge muted">
                    {preview.counts[s]} {tr.counts[s]}
                  </span>
                ))}
                <span className="grow" />
                <button type="button" className="primary" disabled={busy || toWrite === 0 || !can.allowed} title={can.allowed ? undefined : can.reason} onClick={() => void confirm()}>
                  {busy ? tr.committing : tr.confirm(toWrite)}
                </button>
              </div>
              {toWrite === 0 && <p className="muted">{tr.nothingToWrite}</p>}
              <details className="import-mapping-box" open>
                <summary>{tr.mappingTitle}</summary>
                <p className="muted">{tr.mappingHint}</p>
                <div className="import-mapping">
                  {preview.mapping.map((field, col) => {
                    const header = table.rows[preview.headerRow]?.[col] || tr.column(col + 1);
                    return (
                      <label key={col}>
                        <span title={header}>{header}</span>
                        <select value={field ?? ''} onChange={(e) => remap(col, e.target.value || null)} aria-label={header}>
                          <option value="">{tr.skipColumn}</option>
                          {preview.fields.map((f) => (
                            <option key={f.key} value={f.key}>
                              {f.label}
                            </option>
                          ))}
                        </select>
                      </label>
                    );
                  })}
                </div>
              </details>
              <PreviewTable preview={preview} rows={table.rows} />
            </>
          )}
        </>
      )}
      {result && (
        <div className="card" role="status" data-testid="import-done">
          <p>{tr.done(result.written)}</p>
          <div className="toolbar">
            <Link href={kind === 'schools' ? '~/schools' : '~/people'}>{tr.openList[kind]}</Link>
            <button type="button" onClick={restart}>
              {tr.more}
            </button>
          </div>
        </div>
      )}
    </ImportFrame>
  );
}
