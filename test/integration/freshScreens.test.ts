/**
 * Fresh screens: every call says which tables it read, every data change names the tables it
 * wrote (a user's call, a package import, conflicts, background sync), and a screen reloads
 * only when the two meet.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/contract';
import { changeConcerns } from '../../core/contract/events';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { startBackgroundSync } from '../../core/sync/client';
import { insertRow, updateRow } from '../../db/write';
import { listen, type RunningHub } from '../../server/http';
import { enrol, exchange, makeHub, makeLaptop, syncFully, type Laptop, type TestHub } from '../sync/helpers';
import { openTestCore, type TestCore } from './coreFixture';

const cores: TestCore[] = [];
const laptops: Laptop[] = [];
let th: TestHub;
let srv: RunningHub;

beforeAll(async () => {
  process.env.SHNOR_SYNC_INTERVAL_MS = '0'; // the cores' own background sync stays off; the test starts one itself
  th = await makeHub();
  srv = await listen(th.hub, 0);
});
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const l of laptops.splice(0)) l.store.close();
});
afterAll(async () => {
  await srv.close();
  await th.close();
});

function core(): TestCore {
  const c = openTestCore();
  cores.push(c);
  return c;
}

/** The tables of every data.changed event the core sends from now on. */
function changes(c: TestCore): string[][] {
  const seen: string[][] = [];
  c.core.on((e: AppEvent) => {
    if (e.type === 'data.changed') seen.push(e.tables);
  });
  return seen;
}

async function reads(c: TestCore, name: Parameters<TestCore['call']>[0], input: unknown): Promise<string[]> {
  const r = await c.core.call(name, input);
  if (!r.ok) throw new Error(r.error.message);
  expect(r.reads).toBeDefined();
  return r.reads!;
}

describe('what a call read, what a change wrote', () => {
  it('a school card is not reloaded by a change to visits only; the visit journal is', async () => {
    const c = core();
    await c.ok('app.loadDemo', {});
    const store = c.core.ctx.store;
    const a = store.sqlite.prepare('SELECT school_id, curator_id FROM curator_assignments WHERE deleted_at IS NULL LIMIT 1').get() as { school_id: string; curator_id: string };

    const card = await reads(c, 'schools.get', { id: a.school_id });
    const journal = await reads(c, 'visits.list', {});
    expect(card).toContain('schools');
    expect(card).not.toContain('visits');
    expect(journal).toContain('visits');

    const seen = changes(c);
    await c.ok('visits.saveDraft', { curator_id: a.curator_id, school_id: a.school_id, topics: 'черновик' });
    expect(seen).toEqual([['visits']]);
    expect(changeConcerns(card, seen[0]!)).toBe(false);
    expect(changeConcerns(journal, seen[0]!)).toBe(true);

    await c.ok('schools.update', { id: a.school_id, patch: { address: 'ул. Новая, 7' } });
    expect(seen[1]).toEqual(['schools']);
    expect(changeConcerns(card, seen[1]!)).toBe(true);
  });

  it('a read call sends no event, a refused call sends none either', async () => {
    const c = core();
    await c.ok('app.loadDemo', {});
    const seen = changes(c);
    await c.ok('schools.list', {});
    const refused = await c.call('schools.create', { full_name: '', short_name: '', kind: 'СОШ', is_participant: true, stage: 'forming' });
    expect(refused.ok).toBe(false);
    expect(seen).toEqual([]);
  });

  it('raw statements count by the tables they name, not by names inside string literals', () => {
    const c = core();
    const { store } = c.core.ctx;
    const from = store.read.mark();
    store.prepare("SELECT s.id FROM schools s, \"people\" p WHERE s.kind = 'visits' AND p.id = s.id").all();
    expect(store.read.since(from).sort()).toEqual(['people', 'schools']);
  });

  it('a result read from nothing known reloads on any change', () => {
    expect(changeConcerns(undefined, ['visits'])).toBe(true);
    expect(changeConcerns([], ['visits'])).toBe(true);
    expect(changeConcerns(['schools'], ['visits', 'people'])).toBe(false);
  });
});

describe('sync names the tables it wrote', () => {
  it('a package import names the tables its changes wrote, and conflicts when it records one', async () => {
    const district = await th.hub.createDistrict('Район импорта');
    const a = makeLaptop('fresh-a');
    const b = makeLaptop('fresh-b');
    laptops.push(a, b);
    await enrol(th.hub, a, district.id);
    await enrol(th.hub, b, district.id);
    const school = insertRow(a.store, 'schools', { district_id: district.id, full_name: 'МКОУ «Ретлобская СОШ»', short_name: 'Ретлобская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' });
    insertRow(a.store, 'people', { district_id: district.id, last_name: 'Алиева', first_name: 'Патимат', is_curator: true, is_coordinator: false, is_director: false, is_school_coordinator: false });
    await syncFully(th.hub, a);

    const events: string[][] = [];
    const ctx: Ctx = { store: b.store, dataDir: b.dataDir, emit: (e) => e.type === 'data.changed' && events.push(e.tables) };
    const imported = await dispatch(ctx, 'sync.import', { base64: Buffer.from(await exchange(th.hub, b)).toString('base64') });
    expect(imported.ok).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual(expect.arrayContaining(['schools', 'people']));
    expect(events[0]).not.toContain('visits');
    expect(events[0]).not.toContain('conflicts');

    // Concurrent edits of one field: the import that meets them records a conflict and says so.
    updateRow(a.store, 'schools', school.id, { address: 'ул. Школьная, 1' });
    updateRow(b.store, 'schools', school.id, { address: 'ул. Центральная, 5' });
    await syncFully(th.hub, a);
    events.length = 0;
    const met = await dispatch(ctx, 'sync.import', { base64: Buffer.from(await exchange(th.hub, b)).toString('base64') });
    expect(met.ok).toBe(true);
    // Whichever value wins, the conflict is recorded (the row is written only when the incoming one wins).
    expect(events[0]).toContain('conflicts');

    // Resolving it writes the row and closes the conflict: both named.
    const listed = await dispatch(ctx, 'conflicts.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.reads).toContain('conflicts');
    const [conflict] = listed.value as { id: string }[];
    events.length = 0;
    expect((await dispatch(ctx, 'conflicts.resolve', { id: conflict!.id, pick: 'lost' })).ok).toBe(true);
    expect(events).toEqual([expect.arrayContaining(['schools', 'conflicts'])]);
  });

  it('background sync sends data.changed naming what it brought', async () => {
    const district = await th.hub.createDistrict('Район фоновой синхронизации');
    const a = core();
    await a.ok('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
    await a.ok('schools.create', { full_name: 'МКОУ «Кидеробская СОШ»', short_name: 'Кидеробская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await a.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    await a.ok('sync.now', {});

    const b = core();
    await b.ok('sync.enrol', { serverUrl: srv.url, code: (await th.hub.createCode(district.id)).code });
    const seen = changes(b);
    const stop = startBackgroundSync(b.core.ctx, 60_000);
    try {
      await expect.poll(() => seen.length, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
    } finally {
      stop();
    }
    expect(seen[0]).toEqual(expect.arrayContaining(['districts', 'schools']));
    expect(seen[0]).not.toContain('visits');
    expect((await b.ok('schools.list', {})).rows.map((r) => r.short_name)).toEqual(['Кидеробская СОШ']);

    // «Синхронизировать» (an async call, awaiting the server) names what it brought as well.
    await a.ok('schools.create', { full_name: 'МКОУ «Шаитлинская СОШ»', short_name: 'Шаитлинская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await a.ok('sync.now', {});
    seen.length = 0;
    await b.ok('sync.now', {});
    expect(seen).toEqual([['schools']]);
  });
});
