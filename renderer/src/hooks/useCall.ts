import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallName, ErrorData, InputOf, OutputOf } from '../../../core/contract';
import { changeConcerns } from '../../../core/contract/events';
import { call, onEvent } from '../bridge';

export interface CallState<T> {
  data: T | undefined;
  error: ErrorData | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a read call and reloads it when the core reports a change (from this window, another
 * window or sync) to a table the call read; a call whose tables are unknown reloads on any
 * change. Keeps the last data while reloading.
 */
export function useCall<N extends CallName>(name: N, input: InputOf<N>, options: { enabled?: boolean } = {}): CallState<OutputOf<N>> {
  const key = JSON.stringify(input);
  const [state, setState] = useState<{ data?: OutputOf<N>; error?: ErrorData; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const reads = useRef<string[] | undefined>(undefined);
  const enabled = options.enabled ?? true;

  const load = useCallback(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void call(name, JSON.parse(key) as InputOf<N>).then((r) => {
      if (mine !== seq.current) return;
      reads.current = r.ok ? r.reads : undefined;
      setState(r.ok ? { data: r.value, loading: false } : { data: undefined, error: r.error, loading: false });
    });
  }, [name, key, enabled]);

  useEffect(() => {
    reads.current = undefined;
    load();
    return onEvent((e) => {
      if (e.type === 'data.changed' && changeConcerns(reads.current, e.tables)) load();
    });
  }, [load]);

  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}
