/**
 * The roadmap as a spreadsheet, in the columns users know from ФИОКО's template
 * (Задача · Мероприятие · Сроки · Ответственные · Участники · Показатели реализации ·
 * Подтверждающие документы) plus «вне плана» and status.
 *
 * Keyboard first, as in Excel or Google Sheets: arrows/Tab move, Enter (or typing) edits,
 * Enter commits and moves down in the same column, Tab commits and moves right, Esc cancels,
 * Ctrl+Enter/Insert adds a measure under the current one (selected, scrolled into view, its
 * title open). The selection is held by row key, not position, so a reload that adds or
 * shifts rows never moves it to another measure; and it is read from a ref, so keys typed
 * faster than React renders act on the cell the screen shows. Each committed cell is one
 * `measures.update` with a one-field patch (one undo step: Ctrl+Z takes it back). Rows are
 * virtualised so a 300-measure roadmap opens and scrolls smoothly.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { MeasureField, MeasureRow } from '../../../../core/contract/programmes';
import { measureStatuses } from '../../../../core/contract/programmes';
import { lintDate } from '../../../../core/rules/dateLint';
import { dueReadingText, readDue } from '../../../../core/rules/due';
import type { MeasureStatus, Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useConfirm } from '../../components/ConfirmDialog';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { useUndoableDelete } from '../../hooks/useUndoableDelete';
import { withSoftHyphens, withoutSoftHyphens } from './softHyphens';

type Task = Row<'programme_tasks'>;

export type GridRow = { key: string; task: Task | null; measure: MeasureRow | null; firstInTask: boolean };

const COLS = ['task', 'title', 'date_text', 'responsible', 'participants', 'indicator', 'unplanned', 'status', 'evidence'] as const;
type Col = (typeof COLS)[number];
const TEXT_COLS: readonly Col[] = ['task', 'title', 'date_text', 'responsible', 'participants', 'indicator'];
const g = t.programmes.grid;
const HEAD: Record<Col, string> = {
  task: g.task,
  title: g.title,
  date_text: g.dates,
  responsible: g.responsible,
  participants: g.participants,
  indicator: g.indicator,
  unplanned: g.unplanned,
  status: g.status,
  evidence: g.evidence,
};
/** Header labels with soft hyphens where a narrow column would otherwise cut a long word anywhere. */
const HEAD_SHOWN: Partial<Record<Col, string>> = t.programmes.gridNarrow;

/** Task groups in order; a task with no measures still gets a row, so one can add under it. */
export function buildRows(tasks: readonly Task[], measures: readonly MeasureRow[]): GridRow[] {
  const byTask = new Map<string | null, MeasureRow[]>();
  for (const m of measures) {
    const k = m.task_id && tasks.some((x) => x.id === m.task_id) ? m.task_id : null;
    let list = byTask.get(k);
    if (!list) byTask.set(k, (list = []));
    list.push(m);
  }
  const rows: GridRow[] = [];
  for (const task of tasks) {
    const list = byTask.get(task.id) ?? [];
    if (list.length === 0) rows.push({ key: `task:${task.id}`, task, measure: null, firstInTask: true });
    list.forEach((m, i) => rows.push({ key: m.id, task, measure: m, firstInTask: i === 0 }));
  }
  (byTask.get(null) ?? []).forEach((m, i) => rows.push({ key: m.id, task: null, measure: m, firstInTask: i === 0 }));
  return rows;
}

function cellText(row: GridRow, col: Col): string {
  if (col === 'task') return row.task?.title ?? '';
  const m = row.measure;
  if (!m) return '';
  switch (col) {
    case 'title':
    case 'date_text':
      return m[col];
    case 'responsible':
    case 'participants':
    case 'indicator':
      return m[col] ?? '';
    default:
      return '';
  }
}

/** The selected cell, by row key (not index), so a reload that shifts rows never moves it. */
interface Selection {
  key: string;
  col: number;
}

/** The cell being edited, by row key (not index), so a reload that shifts rows never moves the editor. */
interface Editing {
  key: string;
  col: Col;
  value: string;
  error: string | null;
}

interface Props {
  programmeId: string;
  tasks: readonly Task[];
  measures: readonly MeasureRow[];
  onOpenMeasure: (id: string) => void;
  onDropFiles: (measureId: string, files: File[]) => void;
  openMeasureId: string | null;
  /** Why the signed-in account may not change this roadmap (permissions rule); null when it may. */
  readOnly: string | null;
}

export function RoadmapGrid({ programmeId, tasks, measures: loaded, onOpenMeasure, onDropFiles, openMeasureId, readOnly }: Props) {
  const toast = useApp((s) => s.toast);
  /** A refused edit says why instead of opening an editor the core would refuse. */
  const refused = () => {
    if (readOnly) toast(readOnly, { kind: 'error' });
    return readOnly !== null;
  };
  const [dialog, confirm] = useConfirm();
  const undoableDelete = useUndoableDelete();
  // Local copy: edits show at once; a reload from the core (data.changed) replaces it.
  const [measures, setMeasures] = useState(loaded);
  const [localTasks, setLocalTasks] = useState(tasks);
  // Measures created here that a (possibly older) reload does not have yet stay in the list.
  const created = useRef(new Set<string>());
  useEffect(() => {
    const have = new Set(loaded.map((m) => m.id));
    for (const id of created.current) if (have.has(id)) created.current.delete(id);
    if (created.current.size === 0) setMeasures(loaded);
    else setMeasures((prev) => [...loaded, ...prev.filter((m) => created.current.has(m.id))]);
  }, [loaded]);
  useEffect(() => setLocalTasks(tasks), [tasks]);
  const rows = useMemo(() => buildRows(localTasks, measures), [localTasks, measures]);

  const [selection, setSelection] = useState<Selection>({ key: rows[0]?.key ?? '', col: 1 });
  // The latest rows and selection for key handlers that run before the next render.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const selectionRef = useRef(selection);
  // Where the selected row was: if it leaves the rows (deleted, or a task's empty row filled), the selection stays at that place.
  const lastIndex = useRef(0);
  const indexOf = useCallback((sel: Selection, list: readonly GridRow[]) => {
    const i = list.findIndex((r) => r.key === sel.key);
    return i >= 0 ? i : Math.max(0, Math.min(list.length - 1, lastIndex.current));
  }, []);
  const active = useMemo(() => ({ row: indexOf(selection, rows), col: selection.col }), [indexOf, selection, rows]);
  lastIndex.current = active.row;
  const select = useCallback((row: number, col: number) => {
    const list = rowsRef.current;
    const r = Math.max(0, Math.min(list.length - 1, row));
    const next = { key: list[r]?.key ?? '', col: Math.max(0, Math.min(COLS.length - 1, col)) };
    selectionRef.current = next;
    lastIndex.current = r;
    setSelection(next);
  }, []);
  /** The selected cell as the screen shows it now, even between renders. */
  const current = useCallback(() => ({ row: indexOf(selectionRef.current, rowsRef.current), col: selectionRef.current.col }), [indexOf]);
  // A selected row that left the rows hands the selection to the row now at its place, which keeps it from then on.
  useEffect(() => {
    if (rows.length > 0 && !rows.some((r) => r.key === selectionRef.current.key)) select(lastIndex.current, selectionRef.current.col);
  }, [rows, select]);
  const [editing, setEditingState] = useState<Editing | null>(null);
  // Whether an editor is open, known at once: fast typing sends keys before the editor has focus.
  const editingRef = useRef<Editing | null>(null);
  const setEditing = useCallback((next: Editing | null | ((e: Editing | null) => Editing | null)) => {
    setEditingState((prev) => {
      const value = typeof next === 'function' ? next(prev) : next;
      editingRef.current = value;
      return value;
    });
    if (typeof next !== 'function') editingRef.current = next;
  }, []);
  const [dropRow, setDropRow] = useState<number | null>(null);
  const pendingFocus = useRef<{ measureId: string; edit: boolean } | null>(null);
  const finishing = useRef<Editing | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    overscan: 12,
    getItemKey: (i) => rows[i]!.key,
  });

  // After a new measure arrives in the rows, put the cursor on it (and open its title for typing).
  useLayoutEffect(() => {
    const p = pendingFocus.current;
    if (!p) return;
    const i = rows.findIndex((r) => r.measure?.id === p.measureId);
    if (i < 0) return;
    pendingFocus.current = null;
    select(i, 1);
    if (p.edit) setEditing({ key: rows[i]!.key, col: 'title', value: '', error: null });
  }, [rows, setEditing, select]);

  // The selected cell is always on screen: in the grid's own scroll and in the page's.
  useLayoutEffect(() => {
    virtualizer.scrollToIndex(active.row, { align: 'auto' });
    const frame = requestAnimationFrame(() => document.getElementById(`cell-${active.row}-${active.col}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
    return () => cancelAnimationFrame(frame);
  }, [active.row, active.col, virtualizer]);

  const focusGrid = () => gridRef.current?.focus({ preventScroll: true });

  const move = (dr: number, dc: number) => {
    const a = current();
    select(a.row + dr, a.col + dc);
  };

  const patchLocal = (id: string, patch: Partial<MeasureRow>) => setMeasures((ms) => ms.map((m) => (m.id === id ? { ...m, ...patch } : m)));

  /** Commits one cell: one call with a one-field patch. On refusal the editor reopens with what was typed. */
  const commit = async (e: Editing): Promise<boolean> => {
    const index = rows.findIndex((r) => r.key === e.key);
    const row = rows[index];
    if (!row) return true;
    if (e.col === 'task') {
      if (!row.task || e.value.trim() === row.task.title) return true;
      const r = await call('programmeTasks.update', { id: row.task.id, title: e.value });
      if (!r.ok) {
        setEditing({ ...e, error: r.error.fields?.title ?? r.error.message });
        return false;
      }
      setLocalTasks((ts) => ts.map((x) => (x.id === r.value.id ? r.value : x)));
      return true;
    }
    const m = row.measure;
    if (!m) return true;
    const field = e.col as MeasureField;
    const before = m;
    let value: string | null | MeasureStatus = e.value;
    if (field === 'responsible' || field === 'participants' || field === 'indicator') value = e.value.trim() || null;
    if (field === 'date_text' || field === 'title') value = e.value.trim();
    if ((before as unknown as Record<string, unknown>)[field] === value) return true;
    const lint = field === 'date_text' ? lintDate(value) : null;
    patchLocal(m.id, { [field]: value, ...(lint ? { date_from: lint.date_from, date_to: lint.date_to } : {}) });
    const r = await call('measures.update', { id: m.id, patch: { [field]: value } });
    if (!r.ok) {
      patchLocal(m.id, before);
      select(index, COLS.indexOf(e.col));
      setEditing({ ...e, error: r.error.fields?.[`patch.${field}`] ?? r.error.message });
      return false;
    }
    patchLocal(m.id, r.value);
    return true;
  };

  const startEdit = (row: number, col: Col, initial?: string) => {
    const r = rows[row];
    if (!r) return;
    if (col === 'evidence') {
      if (r.measure) onOpenMeasure(r.measure.id);
      return;
    }
    if (refused()) return;
    if (col === 'unplanned') {
      if (r.measure) void toggleUnplanned(r.measure);
      return;
    }
    if (!r.measure && col !== 'task') {
      void addMeasure(row);
      return;
    }
    if (col === 'task' && !r.task) return;
    setEditing({ key: r.key, col, value: initial ?? (col === 'status' ? (r.measure?.status ?? 'planned') : cellText(r, col)), error: null });
  };

  const toggleUnplanned = async (m: MeasureRow) => {
    patchLocal(m.id, { unplanned: m.unplanned ? 0 : 1 });
    const r = await call('measures.update', { id: m.id, patch: { unplanned: !m.unplanned } });
    if (!r.ok) {
      patchLocal(m.id, { unplanned: m.unplanned });
      toast(r.error.message, { kind: 'error' });
    }
  };

  const addMeasure = async (row: number) => {
    if (refused()) return;
    const r = rows[row];
    const taskId = r?.task?.id ?? null;
    const res = await call('measures.create', { programme_id: programmeId, task_id: taskId, after_id: r?.measure?.id ?? null });
    if (!res.ok) {
      toast(res.error.message, { kind: 'error' });
      return;
    }
    const fresh: MeasureRow = { ...res.value, evidence: 0, confirmed: 0, pending: 0, rework: 0, comments: 0 };
    created.current.add(fresh.id);
    pendingFocus.current = { measureId: fresh.id, edit: true };
    setMeasures((ms) => {
      const at = r?.measure ? ms.findIndex((m) => m.id === r.measure!.id) + 1 : ms.length;
      return [...ms.slice(0, at), fresh, ...ms.slice(at)];
    });
  };

  const deleteMeasure = async (row: number) => {
    const m = rows[row]?.measure;
    if (!m || refused()) return;
    if (!(await confirm({ text: t.programmes.confirmDeleteMeasure(m.title), confirmLabel: t.common.delete, danger: true }))) return focusGrid();
    const done = await undoableDelete(() => call('measures.delete', { id: m.id }), t.programmes.measureDeleted);
    if (done) setMeasures((ms) => ms.filter((x) => x.id !== m.id));
    focusGrid();
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== gridRef.current) return;
    if (editingRef.current) {
      // Keys typed before the editor took focus belong to the editor.
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        const ch = e.key;
        setEditing((ed) => (ed ? { ...ed, value: ed.value + ch } : ed));
      }
      return;
    }
    const active = current();
    const col = COLS[active.col]!;
    const key = e.key;
    if ((key === 'Enter' && (e.ctrlKey || e.metaKey)) || key === 'Insert') {
      e.preventDefault();
      void addMeasure(active.row);
    } else if (key === 'Delete' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void deleteMeasure(active.row);
    } else if (key === 'ArrowDown') {
      e.preventDefault();
      move(1, 0);
    } else if (key === 'ArrowUp') {
      e.preventDefault();
      move(-1, 0);
    } else if (key === 'ArrowRight') {
      e.preventDefault();
      move(0, 1);
    } else if (key === 'ArrowLeft') {
      e.preventDefault();
      move(0, -1);
    } else if (key === 'Tab') {
      const last = active.col === COLS.length - 1 && active.row === rows.length - 1;
      const first = active.col === 0 && active.row === 0;
      if ((e.shiftKey && first) || (!e.shiftKey && last)) return;
      e.preventDefault();
      if (e.shiftKey) select(active.col > 0 ? active.row : active.row - 1, active.col > 0 ? active.col - 1 : COLS.length - 1);
      else select(active.col < COLS.length - 1 ? active.row : active.row + 1, active.col < COLS.length - 1 ? active.col + 1 : 0);
    } else if (key === 'Home') {
      e.preventDefault();
      select(active.row, 0);
    } else if (key === 'End') {
      e.preventDefault();
      select(active.row, COLS.length - 1);
    } else if (key === 'Enter' || key === 'F2') {
      e.preventDefault();
      startEdit(active.row, col);
    } else if (key === ' ' && col === 'unplanned') {
      e.preventDefault();
      startEdit(active.row, col);
    } else if (key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && TEXT_COLS.includes(col)) {
      e.preventDefault();
      startEdit(active.row, col, key);
    }
  };

  const finishEdit = async (e: Editing, then: 'down' | 'right' | 'left' | 'stay' | 'add') => {
    // Enter commits and unmounts the editor, whose blur would commit the same edit again.
    if (finishing.current === e) return;
    finishing.current = e;
    setEditing(null);
    // The selection moves at once, from the edited cell: keys pressed while the core answers
    // act on the cell the screen shows. A refused commit brings the editor back where it was.
    const from = rowsRef.current.findIndex((r) => r.key === e.key);
    const col = COLS.indexOf(e.col);
    if (then !== 'stay' && then !== 'add' && from >= 0) {
      focusGrid();
      select(from + (then === 'down' ? 1 : 0), col + (then === 'right' ? 1 : then === 'left' ? -1 : 0));
    }
    const ok = await commit(e);
    if (!ok) return;
    if (then === 'stay' || then === 'add') focusGrid();
    if (then === 'add') void addMeasure(rowsRef.current.findIndex((r) => r.key === e.key));
  };

  const cancelEdit = () => {
    // The editor's blur on unmount must not commit what Esc cancelled.
    finishing.current = editingRef.current;
    setEditing(null);
    focusGrid();
  };

  // Keep the DOM focus on the grid while navigating, so the keys keep working after a click.
  useEffect(() => {
    if (!editing && gridRef.current && document.activeElement !== gridRef.current && gridRef.current.contains(document.activeElement)) focusGrid();
  }, [editing]);

  const activeRow = rows[active.row];
  const activeLint = activeRow?.measure ? lintDate(activeRow.measure.date_text) : null;
  const vague = useMemo(() => measures.filter((m) => !lintDate(m.date_text).concrete).length, [measures]);

  return (
    <div className="roadmap">
      {dialog}
      {vague > 0 && (
        <div className="roadmap-lint-summary" role="status">
          ⚠ {t.programmes.lintCount(String(vague))}
        </div>
      )}
      <div className="roadmap-scroll" ref={scrollRef}>
        <div
          className="roadmap-grid"
          role="grid"
          aria-label={t.programmes.roadmap}
          aria-rowcount={rows.length + 1}
          tabIndex={0}
          ref={gridRef}
          onKeyDown={onGridKey}
          onCopy={copyRaw}
          aria-activedescendant={rows.length ? `cell-${active.row}-${active.col}` : undefined}
        >
          <div className="rg-row rg-head" role="row">
            {COLS.map((c) => (
              <div key={c} className={`rg-cell rg-${c}`} role="columnheader" aria-label={HEAD[c]}>
                {HEAD_SHOWN[c] ?? HEAD[c]}
              </div>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              return (
                <GridRowView
                  key={v.key}
                  index={v.index}
                  start={v.start}
                  measureRef={virtualizer.measureElement}
                  row={row}
                  activeCol={active.row === v.index ? active.col : -1}
                  editing={editing && editing.key === row.key ? editing : null}
                  open={!!row.measure && row.measure.id === openMeasureId}
                  dropping={dropRow === v.index}
                  onCellClick={(col, dbl) => {
                    select(v.index, col);
                    if (dbl || COLS[col] === 'evidence') startEdit(v.index, COLS[col]!);
                    else focusGrid();
                  }}
                  onEditChange={(value) => setEditing((ed) => (ed ? { ...ed, value, error: null } : ed))}
                  onFinish={(then) => editing && void finishEdit(editing, then)}
                  onCancel={cancelEdit}
                  onDragState={(on) => setDropRow(on ? v.index : null)}
                  onDropFiles={(files) => {
                    setDropRow(null);
                    if (row.measure) onDropFiles(row.measure.id, files);
                  }}
                />
              );
            })}
          </div>
        </div>
      </div>
      <div className="roadmap-status" aria-live="polite">
        {activeLint && activeLint.issue && activeRow?.measure ? (
          <span className="lint-inline">
            <b>
              {t.programmes.lintTitle}: «{activeRow.measure.date_text || '—'}».
            </b>{' '}
            {activeLint.issue.reason} {dueReadingText(readDue(activeRow.measure.date_text))} {activeLint.issue.suggestion}
          </span>
        ) : (
          <span className="muted small">{t.programmes.roadmapHelp}</span>
        )}
      </div>
    </div>
  );
}

interface RowProps {
  index: number;
  start: number;
  measureRef: (el: Element | null) => void;
  row: GridRow;
  activeCol: number;
  editing: Editing | null;
  open: boolean;
  dropping: boolean;
  onCellClick: (col: number, dbl: boolean) => void;
  onEditChange: (value: string) => void;
  onFinish: (then: 'down' | 'right' | 'left' | 'stay' | 'add') => void;
  onCancel: () => void;
  onDragState: (on: boolean) => void;
  onDropFiles: (files: File[]) => void;
}

const GridRowView = memo(function GridRowView(p: RowProps) {
  const { row } = p;
  const m = row.measure;
  const lint = m ? lintDate(m.date_text) : null;
  const className = ['rg-row', row.firstInTask ? 'rg-first' : '', p.activeCol >= 0 ? 'rg-selected' : '', p.open ? 'rg-open' : '', p.editing ? 'rg-editing' : '', m?.status === 'cancelled' ? 'rg-cancelled' : ''].filter(Boolean).join(' ');
  return (
    <div
      className={className}
      role="row"
      data-index={p.index}
      data-measure-id={m?.id}
      ref={p.measureRef}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${p.start}px)` }}
    >
      {COLS.map((col, ci) => {
        const active = p.activeCol === ci;
        const isEditing = p.editing?.col === col;
        const cls = `rg-cell rg-${col}${active ? ' rg-active' : ''}${col === 'date_text' && lint && !lint.concrete && m ? ' rg-lint' : ''}${col === 'evidence' && p.dropping ? ' rg-drop' : ''}`;
        const dropHandlers =
          col === 'evidence' && m
            ? {
                onDragOver: (e: React.DragEvent) => {
                  if (e.dataTransfer.types.includes('Files')) {
                    e.preventDefault();
                    p.onDragState(true);
                  }
                },
                onDragLeave: () => p.onDragState(false),
                onDrop: (e: React.DragEvent) => {
                  e.preventDefault();
                  p.onDropFiles([...e.dataTransfer.files]);
                },
              }
            : {};
        return (
          <div
            key={col}
            id={`cell-${p.index}-${ci}`}
            className={cls}
            role="gridcell"
            aria-selected={active}
            onMouseDown={(e) => {
              if (!isEditing) {
                e.preventDefault();
                p.onCellClick(ci, false);
              }
            }}
            onDoubleClick={() => p.onCellClick(ci, true)}
            {...dropHandlers}
          >
            {isEditing && p.editing ? <CellEditor col={col} editing={p.editing} onChange={p.onEditChange} onFinish={p.onFinish} onCancel={p.onCancel} /> : <CellView row={row} col={col} lintOk={!!lint?.concrete} />}
          </div>
        );
      })}
    </div>
  );
});

function CellView({ row, col, lintOk }: { row: GridRow; col: Col; lintOk: boolean }) {
  const m = row.measure;
  if (col === 'task') {
    if (!row.firstInTask) return null;
    return <span className="rg-task-title">{row.task ? withSoftHyphens(row.task.title) : <span className="muted">{t.programmes.withoutTask}</span>}</span>;
  }
  if (!m) return col === 'title' ? <span className="muted">{t.programmes.noMeasuresInTask}</span> : null;
  switch (col) {
    case 'title':
      return m.title ? <span>{withSoftHyphens(m.title)}</span> : <span className="muted">{t.programmes.emptyTitle}</span>;
    case 'date_text':
      return (
        <span title={lintOk ? undefined : (lintDate(m.date_text).issue?.reason ?? '')}>
          {!lintOk && <span className="lint-mark" aria-label={t.programmes.lintTitle}>⚠ </span>}
          {m.date_text || <span className="muted">—</span>}
        </span>
      );
    case 'unplanned':
      return m.unplanned ? <span className="badge warn">{t.programmes.unplannedYes}</span> : <span className="muted">—</span>;
    case 'status':
      return <span className={`badge status-${m.status}`}>{t.programmes.statuses[m.status]}</span>;
    case 'evidence':
      return m.evidence === 0 ? (
        <span className="muted small">{t.programmes.evidenceCell.none}</span>
      ) : (
        <span className="rg-ev-badges">
          <span>{m.evidence} док.</span>
          {m.confirmed > 0 && <span className="badge ok">✓ {m.confirmed}</span>}
          {m.pending > 0 && <span className="badge">? {m.pending}</span>}
          {m.rework > 0 && <span className="badge danger">✎ {m.rework}</span>}
          {m.comments > 0 && <span className="badge muted">комм.: {m.comments}</span>}
        </span>
      );
    default:
      return <span>{withSoftHyphens(cellText(row, col))}</span>;
  }
}

/** Text copied out of the grid carries the raw words, without the soft hyphens added for display. */
function copyRaw(e: ClipboardEvent<HTMLDivElement>) {
  const shown = document.getSelection()?.toString() ?? '';
  if (!shown.includes('\u00AD')) return;
  e.preventDefault();
  e.clipboardData.setData('text/plain', withoutSoftHyphens(shown));
}

function CellEditor({ col, editing, onChange, onFinish, onCancel }: { col: Col; editing: Editing; onChange: (v: string) => void; onFinish: RowProps['onFinish']; onCancel: () => void }) {
  const ref = useRef<HTMLTextAreaElement & HTMLSelectElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    if (el instanceof HTMLTextAreaElement) el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el instanceof HTMLTextAreaElement) {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + 2}px`;
    }
  }, [editing.value]);

  const keys = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onFinish('add');
    } else if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      onFinish('down');
    } else if (e.key === 'Tab') {
      e.preventDefault();
      onFinish(e.shiftKey ? 'left' : 'right');
    }
  };

  const lint = col === 'date_text' ? lintDate(editing.value) : null;
  return (
    <div className="rg-editor">
      {col === 'status' ? (
        <select ref={ref} value={editing.value} onChange={(e) => onChange(e.target.value)} onKeyDown={keys} onBlur={() => onFinish('stay')} aria-label={HEAD[col]}>
          {measureStatuses.map((s) => (
            <option key={s} value={s}>
              {t.programmes.statuses[s]}
            </option>
          ))}
        </select>
      ) : (
        <textarea
          ref={ref}
          rows={1}
          value={editing.value}
          aria-label={HEAD[col]}
          aria-invalid={editing.error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={keys}
          onBlur={() => onFinish('stay')}
        />
      )}
      {editing.error && (
        <div className="rg-popover rg-error" role="alert">
          {editing.error}
        </div>
      )}
      {!editing.error && lint && lint.issue && editing.value.trim() !== '' && (
        <div className="rg-popover rg-lint-pop" role="status" data-lint-code={lint.issue.code}>
          <b>⚠ {lint.issue.reason}</b>
          <div>{lint.issue.suggestion}</div>
          {lint.issue.replacement && (
            <button
              type="button"
              className="link"
              onMouseDown={(e) => {
                e.preventDefault();
                onChange(lint.issue!.replacement!);
              }}
            >
              «{lint.issue.replacement}»
            </button>
          )}
        </div>
      )}
      {!editing.error && lint?.concrete && <div className="rg-popover rg-ok-pop">✓ {lint.date_from && lint.date_from !== lint.date_to ? `${fmt(lint.date_from)} — ${fmt(lint.date_to)}` : fmt(lint.date_to)}</div>}
    </div>
  );
}

const fmt = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
