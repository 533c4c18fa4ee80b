import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useReducer, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { changeConcerns } from '../../../core/contract/events';
import { onEvent } from '../bridge';
import { t } from '../i18n/ru';

export interface Column<T> {
  key: string;
  title: string;
  /** A CSS grid track, e.g. 'minmax(220px, 3fr)' or '90px'. */
  width: string;
  /** The server's sort key; columns without one are not sortable. */
  sortKey?: string;
  render: (row: T) => ReactNode;
  align?: 'end';
}

export interface PageResult<T> {
  rows: T[];
  total: number;
  /** The tables the page was read from: the list refetches only when one of them changes. */
  reads?: string[] | undefined;
}

export type SortDir = 'asc' | 'desc';

interface VirtualTableProps<T> {
  label: string;
  columns: Column<T>[];
  /** Changes whenever the query (search, filters, sort) changes: the cache starts over. */
  queryKey: string;
  fetchPage: (offset: number, limit: number) => Promise<PageResult<T>>;
  rowKey: (row: T) => string;
  onOpen: (row: T) => void;
  sort?: { key: string; dir: SortDir };
  onSort?: (key: string) => void;
  onTotal?: (total: number) => void;
  /** Shown instead of the rows when the query matches nothing. */
  empty?: ReactNode;
  pageSize?: number;
  rowHeight?: number;
  /** When set, the scroll position and the highlighted row are kept for this list and query,
   *  so coming back from a card lands where the user was. */
  memoryKey?: string;
}

const remembered = new Map<string, { top: number; active: number }>();

interface Cache<T> {
  generation: number;
  pages: Map<number, T[]>;
  /** Pages kept on screen after a data change until their fresh copy arrives. */
  stale: Set<number>;
  loading: Set<number>;
  total: number | null;
}

const newCache = <T,>(generation: number): Cache<T> => ({ generation, pages: new Map(), stale: new Set(), loading: new Set(), total: null });

/**
 * A long list that stays smooth at any size: only the visible rows are in the DOM
 * (@tanstack/react-virtual) and rows are fetched from the core a page at a time as the
 * user scrolls, so 5,000 schools cost one page of data, not five thousand.
 * Keyboard: arrows, PageUp/PageDown, Home/End move; Enter opens.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { columns, queryKey, rowKey, onOpen, sort, onSort, empty, label } = props;
  const pageSize = props.pageSize ?? 200;
  const rowHeight = props.rowHeight ?? 38;
  const baseId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const cache = useRef<Cache<T>>(newCache(0));
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const latest = useRef(props);
  latest.current = props;
  const reads = useRef<string[] | undefined>(undefined);

  const fetchPage = useCallback(
    (page: number) => {
      const c = cache.current;
      if (c.loading.has(page)) return;
      c.loading.add(page);
      const generation = c.generation;
      latest.current
        .fetchPage(page * pageSize, pageSize)
        .then((result) => {
          const now = cache.current;
          if (now.generation !== generation) return;
          now.loading.delete(page);
          reads.current = result.reads;
          now.pages.set(page, result.rows);
          now.stale.delete(page);
          if (now.total !== result.total) {
            now.total = result.total;
            latest.current.onTotal?.(result.total);
          }
          setError(null);
          rerender();
        })
        .catch((e: unknown) => {
          if (cache.current.generation !== generation) return;
          cache.current.loading.delete(page);
          setError(e instanceof Error ? e.message : String(e));
        });
    },
    [pageSize],
  );

  // A new query: start over from the top (or from where the user was, for a remembered list).
  const memory = props.memoryKey ? `${props.memoryKey}|${queryKey}` : null;
  const restore = useRef<{ top: number; active: number } | null>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  // Kept from onScroll: on unmount the element may already be detached.
  const topRef = useRef(0);
  useEffect(() => {
    cache.current = newCache(cache.current.generation + 1);
    const saved = memory ? remembered.get(memory) : undefined;
    restore.current = saved ?? null;
    setActive(saved?.active ?? -1);
    scrollRef.current?.scrollTo({ top: 0 });
    topRef.current = 0;
    fetchPage(saved ? Math.floor(saved.top / rowHeight / pageSize) : 0);
    rerender();
    return () => {
      if (memory) remembered.set(memory, { top: topRef.current, active: activeRef.current });
    };
  }, [queryKey, fetchPage, memory, rowHeight, pageSize]);

  // Once the rows are there, go back to the remembered place.
  useEffect(() => {
    if (restore.current && cache.current.total !== null && scrollRef.current) {
      scrollRef.current.scrollTop = restore.current.top;
      restore.current = null;
    }
  });

  // Data changed (here, in another window or by sync): keep showing what we have, refetch what is visible.
  useEffect(
    () =>
      onEvent((e) => {
        if (e.type !== 'data.changed' || !changeConcerns(reads.current, e.tables)) return;
        const old = cache.current;
        const next = newCache<T>(old.generation + 1);
        next.pages = old.pages;
        next.stale = new Set(old.pages.keys());
        next.total = old.total;
        cache.current = next;
        if (next.pages.size === 0) fetchPage(0);
        rerender();
      }),
    [fetchPage],
  );

  const total = cache.current.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Fetch the pages the visible window needs (missing or stale).
  useEffect(() => {
    const c = cache.current;
    if (c.total === null || c.total === 0) return;
    for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) {
      if (!c.pages.has(p) || c.stale.has(p)) fetchPage(p);
    }
  });

  const rowAt = (index: number): T | undefined => cache.current.pages.get(Math.floor(index / pageSize))?.[index % pageSize];

  const move = (to: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + pageRows),
      PageUp: () => move(active - pageRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const row = rowAt(active);
        if (row) onOpen(row);
      },
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const grid = { '--vt-cols': columns.map((c) => c.width).join(' '), '--vt-min-width': `${minWidthOf(columns)}px` } as CSSProperties;
  const loaded = cache.current.total !== null;

  return (
    <div className="vt" style={grid}>
      <div ref={headRef} className="vt-head" role="presentation">
        {columns.map((c) => {
          const sorted = sort && c.sortKey === sort.key ? sort.dir : null;
          return (
            <div key={c.key} className={c.align === 'end' ? 'vt-cell end' : 'vt-cell'} role="columnheader" aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined}>
              {c.sortKey && onSort ? (
                <button type="button" className="vt-sort" onClick={() => onSort(c.sortKey!)}>
                  {c.title}
                  <span className="vt-sort-mark" aria-hidden="true">
                    {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                  </span>
                </button>
              ) : (
                c.title
              )}
            </div>
          );
        })}
      </div>
      {error && (
        <div className="form-error vt-error" role="alert">
          {error}{' '}
          <button type="button" className="link" onClick={() => { setError(null); fetchPage(Math.floor(Math.max(first, 0) / pageSize)); }}>
            {t.common.retry}
          </button>
        </div>
      )}
      {loaded && total === 0 ? (
        <div className="vt-empty">{empty}</div>
      ) : (
        <div
          ref={scrollRef}
          className="vt-scroll"
          role="grid"
          aria-label={label}
          aria-rowcount={total}
          tabIndex={0}
          aria-activedescendant={active >= 0 ? `${baseId}-r${active}` : undefined}
          onKeyDown={onKeyDown}
          onScroll={(e) => {
            topRef.current = e.currentTarget.scrollTop;
            // The header scrolls sideways with the rows (it has no scrollbar of its own).
            if (headRef.current) headRef.current.scrollLeft = e.currentTarget.scrollLeft;
          }}
          onFocus={() => {
            if (active < 0 && total > 0) setActive(Math.max(first, 0));
          }}
        >
          {!loaded && <div className="vt-loading">{t.common.loading}</div>}
          <div className="vt-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              const cls = `vt-row${item.index === active ? ' active' : ''}${item.index % 2 ? ' odd' : ''}`;
              return (
                <div
                  key={row ? rowKey(row) : `placeholder-${item.index}`}
                  id={`${baseId}-r${item.index}`}
                  className={row ? cls : `${cls} placeholder`}
                  role="row"
                  aria-rowindex={item.index + 1}
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                  onClick={() => {
                    setActive(item.index);
                    if (row) onOpen(row);
                  }}
                >
                  {columns.map((c) => (
                    <div key={c.key} className={c.align === 'end' ? 'vt-cell end' : 'vt-cell'} role="gridcell">
                      {row ? c.render(row) : <span className="skeleton" />}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

/** Below the sum of the columns' least widths the list scrolls sideways instead of cutting columns off. */
function minWidthOf(columns: readonly { width: string }[]): number {
  return columns.reduce((sum, c) => sum + Number(/(\d+)px/.exec(c.width)?.[1] ?? 80), 0);
}

