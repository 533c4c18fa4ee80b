import { useEffect } from 'react';
import { useSession } from '../../stores/session';

const INPUT_EVENTS = ['keydown', 'mousemove', 'mousedown', 'wheel', 'touchstart'] as const;

/**
 * Locks the laptop after `minutes` without keyboard, mouse or touch input in this window.
 * Input only records the time; one timer checks it when the quiet period could have ended,
 * so a moving mouse costs nothing. The lock does not wait for an open form: drafts autosave,
 * and a lock that waited would not be one.
 */
export function useIdleLock(minutes: number): void {
  const run = useSession((x) => x.run);
  useEffect(() => {
    const idleMs = minutes * 60_000;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const touch = () => {
      last = Date.now();
    };
    const check = () => {
      const quiet = Date.now() - last;
      if (quiet >= idleMs) void run('auth.lock', {});
      else timer = setTimeout(check, idleMs - quiet);
    };
    timer = setTimeout(check, idleMs);
    for (const e of INPUT_EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, [minutes, run]);
}
