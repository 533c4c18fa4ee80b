/** A running core on a throwaway data folder, called exactly as the shells call it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, type CoreOptions, type LocalCore } from '../../main/app';
import type { CallName, InputOf, OutputOf, Result } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import type { Store } from '../../db/store';

export interface TestCore {
  core: LocalCore;
  dir: string;
  call<N extends CallName>(name: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  /** Like call, but a failure fails the test with the error's message. */
  ok<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>>;
  close(): void;
}

/** `call` and `ok` through dispatch on the context the test holds at call time. */
export function dispatcher(ctx: () => Ctx): Pick<TestCore, 'call' | 'ok'> {
  const call = <N extends CallName>(name: N, input: InputOf<N>) => dispatch(ctx(), name, input) as Promise<Result<OutputOf<N>>>;
  return { call, ok: okOf(call) };
}

function okOf(call: TestCore['call']): TestCore['ok'] {
  return async (name, input) => {
    const r = await call(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
    return r.value;
  };
}

export function tempDir(prefix = 'shnor-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openTestCore(dir = tempDir(), options: CoreOptions = {}): TestCore {
  const core = startCore(dir, options);
  const call = <N extends CallName>(name: N, input: InputOf<N>) => core.call(name, input) as Promise<Result<OutputOf<N>>>;
  return {
    core,
    dir,
    call,
    ok: okOf(call),
    close: () => core.close(),
  };
}

export function countRows(store: Store, table: string): number {
  return (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Everything a refused call must leave untouched: the change log and the rows it guards. */
export function writeFootprint(store: Store): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['changes', 'field_clocks', 'schools', 'people', 'orders', 'curator_assignments', 'risk_profiles']) out[t] = countRows(store, t);
  return out;
}
