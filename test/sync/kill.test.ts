/**
 * Crash safety: the importing process is killed with SIGKILL at random moments (50 times).
 * After each kill the database passes `PRAGMA integrity_check`, and importing the same
 * package again completes with exactly the result of an uninterrupted import.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireChange } from '../../core/sync/apply';
import { importPackage } from '../../core/sync/local.node';
import { buildPackage } from '../../core/sync/package.node';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { openStore } from '../../db/open';
import { replicaOf } from '../../db/replica';
import { insertRow } from '../../db/write';
import type { Store } from '../../db/store';
import { enrol, makeHub, rng, tempDir, type TestHub } from './helpers';

let th: TestHub;
let dir: string;
let baseDb: string;
let pkgFile: string;
let childJs: string;
let reference: string;

function state(store: Store): string {
  const q = (sql: string) => store.sqlite.prepare(sql).all();
  return JSON.stringify([
    q('SELECT * FROM schools ORDER BY id'),
    q('SELECT * FROM field_clocks ORDER BY tbl, row_id, col'),
    q('SELECT device_id, device_seq, hlc, data, server_seq FROM changes ORDER BY device_id, device_seq'),
    q('SELECT id, tbl, row_id, col, lost_value, lost_hlc, resolved_at IS NULL AS open FROM conflicts ORDER BY id'),
    q("SELECT key, value FROM meta WHERE key IN ('sync.cursor', 'sync.acked') ORDER BY key"),
  ]);
}

function copyBase(to: string): void {
  fs.copyFileSync(baseDb, to);
}

beforeAll(async () => {
  dir = tempDir('shnor-kill-');
  th = await makeHub();
  const district = await th.hub.createDistrict('Район');
  baseDb = path.join(dir, 'base.sqlite');
  const store = openStore(baseDb);
  const laptop = { name: 'k', store, dataDir: dir };
  await enrol(th.hub, laptop, district.id);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(insertRow(store, 'schools', { district_id: 'd', full_name: `Школа ${i}`, short_name: `Ш${i}`, kind: 'СОШ', is_participant: true, stage: 'forming' }).id);
  const device = replicaOf(store).deviceId;
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  // A hub package of 600 changes in 30 chunks: new schools and concurrent edits of ours.
  const r = rng(7);
  const changes: WireChange[] = [];
  for (let q = 1; q <= 600; q++) {
    const h = `${(2_000_000_000_000 + q).toString(36).padStart(11, '0')}-00000-remote`;
    if (q % 3 === 0) changes.push({ d: 'remote', q, h, t: 'schools', r: r.pick(ids), v: { notes: `правка ${q}`, updated_at: 'x' }, s: q });
    else changes.push({ d: 'remote', q, h, t: 'schools', r: `0190b000-0000-7000-8000-${String(q).padStart(12, '0')}`, v: { district_id: 'd', full_name: `Удалённая ${q}`, short_name: `У${q}`, kind: 'СОШ', created_at: 'x', updated_at: 'x', deleted_at: null }, s: q });
  }
  const bytes = buildPackage(
    { schema: LATEST_SCHEMA_VERSION, minReaderSchema: 1, id: crypto.randomUUID(), createdAt: new Date().toISOString(), sender: { device: th.hub.identity.device, district: district.id, role: 'hub' }, recipient: device, cursor: 0, hub: { after: 0, upto: 600, more: false }, ack: 20 },
    changes,
    [],
    th.hub.identity.privateKey,
    20,
  );
  pkgFile = path.join(dir, 'reply.shnor');
  fs.writeFileSync(pkgFile, bytes);
  childJs = path.join(dir, 'kill-child.mjs');
  await build({
    entryPoints: [path.resolve('test/sync/kill-child.ts')],
    outfile: childJs,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    absWorkingDir: process.cwd(),
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  // Externals resolve from the repository's node_modules.
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  const refDb = path.join(dir, 'ref.sqlite');
  copyBase(refDb);
  const ref = openStore(refDb);
  importPackage(ref, dir, bytes);
  reference = state(ref);
  ref.close();
}, 60_000);

afterAll(async () => {
  await th.close();
});

function runChild(db: string, killAfterMs: number | null): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, db, dir, pkgFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Time the kill from the moment the database is open, so it lands inside the import.
      if (killAfterMs !== null && !timer && out.includes('opened')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', out });
    });
  });
}

describe('SIGKILL during import', () => {
  it('stays intact and resumes to the same result, 50 times', async () => {
    // How long an uninterrupted import takes in a child, to spread the kills over it.
    const probeDb = path.join(dir, 'probe.sqlite');
    copyBase(probeDb);
    const probe = await runChild(probeDb, null);
    expect(probe.out).toContain('done 600');
    const span = Math.max(10, Number(/in (\d+) ms/.exec(probe.out)![1]) * 0.9);
    const r = rng(42);
    let killedMidway = 0;
    for (let i = 0; i < 50; i++) {
      const db = path.join(dir, `run-${i}.sqlite`);
      copyBase(db);
      const first = await runChild(db, r.int(span));
      const store = openStore(db);
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      // A kill can land after the import committed but before the process exited: that run finished.
      const finished = Boolean((store.sqlite.prepare('SELECT completed_at FROM sync_imports').get() as { completed_at: string | null } | undefined)?.completed_at);
      if (first.killed && !finished) killedMidway++;
      if (!first.killed) expect(finished).toBe(true);
      // Re-import: resumes after the last committed chunk (or is refused as a replay if the first run finished).
      try {
        importPackage(store, dir, new Uint8Array(fs.readFileSync(pkgFile)));
        expect(finished).toBe(false);
      } catch (e) {
        expect(finished).toBe(true);
        expect(String(e)).toMatch(/уже был загружен/);
      }
      expect(state(store)).toBe(reference);
      store.close();
      for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    }
    expect(killedMidway).toBeGreaterThanOrEqual(40);
  }, 180_000);
});
