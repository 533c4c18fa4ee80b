/**
 * Issue 9 figure `main stall`: the longest event-loop stall of the main thread (the thread that
 * answers windows: Electron's main process, browser mode's HTTP host) while the core exports the
 * region XLSX (5,000 schools, 15,000 АРП) and imports a 100,000-change package — with the core in
 * its worker thread as the shells run it, beside the same work with the core on the main thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WireChange } from '../../core/sync/apply';
import { buildPackage } from '../../core/sync/package.node';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { openStore } from '../../db/open';
import { getMeta, replicaOf } from '../../db/replica';
import { startCore, type CoreApp } from '../../main/app';
import { startThreadCore } from '../../main/core/thread';
import { DB_FILE } from '../../main/paths';
import { generateProgrammes } from '../fixtures/expertiseRegion';
import { generateRegion } from '../fixtures/generate';
import { enrol, makeHub } from '../sync/helpers';
import type { Reporter } from './report';

const CHANGES = 100_000;
const REPORTING_DATE = '2022-06-30';

/** A data folder with the region's data, enrolled with a hub, and a signed 100,000-change package from that hub. */
async function prepare(dir: string): Promise<string> {
  const store = openStore(path.join(dir, DB_FILE));
  generateRegion(store, { schools: 5000 });
  generateProgrammes(store, { programmes: 15_000 });
  const hub = await makeHub();
  try {
    const district = await hub.hub.createDistrict('Бенч');
    await enrol(hub.hub, { name: 'bench', store, dataDir: dir }, district.id);
    const districtId = getMeta(store, 'district_id')!;
    const changes: WireChange[] = [];
    for (let i = 1; i <= CHANGES; i++) {
      changes.push({
        d: 'remote',
        q: i,
        h: `${(1_700_000_000_000 + i).toString(36).padStart(11, '0')}-00000-remote`,
        t: 'people',
        r: `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        v: { district_id: districtId, last_name: `Фамилия ${i}`, first_name: 'Имя', middle_name: 'Отчество', position: 'Учитель', phone: null, email: null, is_coordinator: 0, is_curator: 1, is_school_coordinator: 0, is_director: 0, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z', deleted_at: null },
        s: i,
      });
    }
    const manifest = {
      schema: LATEST_SCHEMA_VERSION,
      minReaderSchema: 1,
      id: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      sender: { device: hub.hub.identity.device, district: district.id, role: 'hub' as const },
      recipient: replicaOf(store).deviceId,
      cursor: 0,
      hub: { after: 0, upto: CHANGES, more: false },
      ack: 0,
    };
    return Buffer.from(buildPackage(manifest, changes, [], hub.hub.identity.privateKey)).toString('base64');
  } finally {
    store.close();
    await hub.close();
  }
}

/** Runs the export and the import through `core`, returning the main thread's longest stall and the run's duration in ms. */
async function longestStall(core: CoreApp, packageBase64: string): Promise<{ stallMs: number; runMs: number }> {
  // Garbage left by preparing the data must not be collected inside the measured window.
  (globalThis as { gc?: () => void }).gc?.();
  // The forced collection leaves work for the main thread just after it (seen in a CPU profile as a
  // ~75 ms collector run); let it finish so the window holds only what the core's work costs.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const t0 = performance.now();
  delay.enable();
  const exported = await core.call('reports.export', { request: { kind: 'expertise', districtId: null, reportingDate: REPORTING_DATE, scope: 'region' } });
  const imported = await core.call('sync.import', { fileName: 'bench.shnor', base64: packageBase64 });
  delay.disable();
  const runMs = performance.now() - t0;
  if (!exported.ok) throw new Error(`reports.export: ${exported.error.message}`);
  if (!imported.ok) throw new Error(`sync.import: ${imported.error.message}`);
  if ((imported.value as { applied: number }).applied !== CHANGES) throw new Error(`sync.import применил ${JSON.stringify(imported.value)}`);
  return { stallMs: delay.max / 1e6, runMs };
}

/** The same window with nothing to do: what the machine's scheduler alone costs the main thread. */
async function idleStall(ms: number): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  delay.disable();
  return delay.max / 1e6;
}

export default async function (r: Reporter): Promise<void> {
  r.section('Главный поток во время тяжёлой работы ядра (XLSX по региону + пакет из 100 000 изменений)');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-stall-'));
  const t0 = performance.now();
  const packageBase64 = await prepare(path.join(base, 'prepared'));
  console.log(`  данные и пакет (${(packageBase64.length / 1024 / 1024).toFixed(1)} МБ base64) за ${((performance.now() - t0) / 1000).toFixed(1)} с`);
  // Each run gets its own copy of the same data folder: the import changes it.
  const copy = (name: string) => {
    const dir = path.join(base, name);
    fs.cpSync(path.join(base, 'prepared'), dir, { recursive: true });
    return dir;
  };

  const worker = await startThreadCore(copy('worker'));
  let inWorker: { stallMs: number; runMs: number };
  try {
    inWorker = await longestStall(worker, packageBase64);
  } finally {
    await worker.close();
  }
  const idleMs = await idleStall(inWorker.runMs);

  const local = startCore(copy('in-thread'));
  let inThread: { stallMs: number; runMs: number };
  try {
    inThread = await longestStall(local, packageBase64);
  } finally {
    local.close();
  }

  console.log(`  работа ядра: ${(inWorker.runMs / 1000).toFixed(1)} с в рабочем потоке, ${(inThread.runMs / 1000).toFixed(1)} с в главном; простой главного потока столько же времени: задержка до ${idleMs.toFixed(0)} ms (шум загруженной машины)`);
  r.add({ name: 'main stall', value: inWorker.stallMs, unit: 'ms', baseline: { name: 'in-thread core', value: inThread.stallMs }, goal: '< 50 ms' });
  fs.rmSync(base, { recursive: true, force: true });
}
