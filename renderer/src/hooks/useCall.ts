import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallName, ErrorData, InputOf, OutputOf } from '../../../core/contract';
import { call, onEvent } from '../bridge';

export interface CallState<T> {
  data: T | undefined;
  error: ErrorData | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a read call and reloads it whenever the core reports a data change
 * (from this window, another window or sync). Keeps the last data while reloading.
 */
export function useCall<N extends CallName>(name: N, input: InputOf<N>, options: { enabled?: boolean } = {}): CallState<OutputOf<N>> {
  const key = JSON.stringify(input);
  const [state, setState] = useState<{ data?: OutputOf<N>; error?: ErrorData; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const enabled = options.enabled ?? true;

  const load = useCallback(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void call(name, JSON.parse(key) as InputOf<N>).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { data: r.value, loading: false } : { data: undefined, error: r.error, loading: false });
    });
  }, [name, key, enabled]);

  useEffect(() => {
    load();
    return onEvent((e) => {
      if (e.type === 'data.changed') load();
    });
  }, [load]);

  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}
