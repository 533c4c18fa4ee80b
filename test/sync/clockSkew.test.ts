/**
 * Clock discipline (issue 12): a laptop two days ahead no longer wins against later edits
 * made elsewhere, the server refuses changes stamped too far ahead with the reason, the
 * laptop restamps its unsent changes by the server's time, and honest laptops keep honest
 * clocks.
 */
import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_MS } from '../../core/rules/clock';
import { syncState } from '../../core/sync/client';
import { openConflicts } from '../../core/sync/apply';
import { buildOutgoing } from '../../core/sync/local.node';
import { hlcMs } from '../../db/hlc';
import { openStore } from '../../db/open';
import { clockOffset, replicaOf } from '../../db/replica';
import type { Store } from '../../db/store';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import { HubError } from '../../server/hub';
import { enrol, exchange, importInto, makeLaptop, skewClock, syncFully, type Laptop } from './helpers';
import { hubForFile } from './hubForFile';

const DAY = 86_400_000;
const files = hubForFile();
const laptops = files.laptops;

async function district(name: string, skews: number[]): Promise<Laptop[]> {
  const d = await files.hub.hub.createDistrict(name);
  const out: Laptop[] = [];
  for (const [i, skew] of skews.entries()) {
    const l = makeLaptop(`${name}-${i}`);
    laptops.push(l);
    await enrol(files.hub.hub, l, d.id);
    if (skew) skewClock(l.store, skew);
    out.push(l);
  }
  return out;
}

const school = (l: Laptop, name: string) =>
  insertRow(l.store, 'schools', { district_id: 'd', full_name: name, short_name: name, kind: 'СОШ', is_participant: true, stage: 'forming' });
/** How far the laptop's hybrid clock is from real time. */
const clockLead = (store: Store): number => hlcMs(replicaOf(store).clock.current()) - Date.now();
const later = () => new Promise((r) => setTimeout(r, 5));

describe('clock discipline', () => {
  it('a laptop two days ahead no longer wins against later edits, in four rounds, and honest clocks stay honest', async () => {
    const [ahead, honest, other] = await district('Район часов', [2 * DAY, 0, 0]);
    // Made before the laptop ever heard the server's time: stamped two days ahead.
    const s = school(ahead!, 'Школа');
    expect(clockLead(ahead!.store)).toBeGreaterThan(DAY);
    for (const l of [ahead!, honest!, other!]) await syncFully(files.hub.hub, l);
    // The server refused the first package, the laptop restamped it by the server's time.
    expect(Math.abs(clockLead(ahead!.store))).toBeLessThan(CLOCK_TOLERANCE_MS);
    expect(getRow(honest!.store, 'schools', s.id)?.full_name).toBe('Школа');
    for (let round = 0; round < 4; round++) {
      updateRow(ahead!.store, 'schools', s.id, { notes: `спешащий ${round}` });
      await later();
      updateRow(honest!.store, 'schools', s.id, { notes: `позже ${round}` });
      for (const l of [ahead!, honest!, other!, ahead!]) await syncFully(files.hub.hub, l);
      for (const l of [ahead!, honest!, other!]) expect(getRow(l.store, 'schools', s.id)?.notes, `round ${round}, ${l.name}`).toBe(`позже ${round}`);
    }
    // The losing edits are kept, and the times users see are real.
    const lost = openConflicts(other!.store).filter((c) => c.col === 'notes');
    expect(lost.length).toBeGreaterThan(0);
    for (const c of lost) expect(Math.abs(hlcMs(c.lost_hlc) - Date.now())).toBeLessThan(CLOCK_TOLERANCE_MS);
    for (const l of [honest!, other!]) expect(Math.abs(clockLead(l.store)), l.name).toBeLessThan(60_000);
    // The laptop says so, in Russian.
    expect(clockOffset(ahead!.store)).toBeGreaterThan(DAY);
    expect(syncState(ahead!.store).clock?.message).toMatch(/^Часы этого ноутбука спешат на 2 дн\. относительно регионального сервера/);
    expect(syncState(honest!.store).clock).toBeNull();
  });

  it('the server refuses a package stamped too far ahead, naming by how much, and stores nothing of it', async () => {
    const [ahead] = await district('Район отказа', [2 * DAY]);
    school(ahead!, 'Школа из будущего');
    const refused = files.hub.hub.push(buildOutgoing(ahead!.store, ahead!.dataDir));
    await expect(refused).rejects.toBeInstanceOf(HubError);
    await expect(refused).rejects.toMatchObject({ code: 'clock_ahead', message: expect.stringMatching(/^Часы ноутбука спешат: изменения в пакете помечены временем на 2 дн\. впереди часов сервера/) });
    const stored = await files.hub.hub.db.selectFrom('changes').select('device_seq').where('device_id', '=', replicaOf(ahead!.store).deviceId).execute();
    expect(stored).toEqual([]);
  });

  it('restamping keeps the laptop’s own order, its causal context and its deletions', async () => {
    const [ahead, honest] = await district('Район перештамповки', [3 * DAY, 0]);
    const s = school(ahead!, 'Школа');
    updateRow(ahead!.store, 'schools', s.id, { short_name: 'Правка' });
    const t = school(ahead!, 'Удаляемая');
    softDelete(ahead!.store, 'schools', t.id);
    await syncFully(files.hub.hub, ahead!);
    const own = ahead!.store.sqlite.prepare('SELECT device_seq, hlc, meta FROM changes WHERE device_id = ? ORDER BY device_seq').all(replicaOf(ahead!.store).deviceId) as { device_seq: number; hlc: string; meta: string | null }[];
    expect(own).toHaveLength(4);
    for (const c of own) expect(Math.abs(hlcMs(c.hlc) - Date.now())).toBeLessThan(CLOCK_TOLERANCE_MS);
    for (let i = 1; i < own.length; i++) expect(own[i]!.hlc > own[i - 1]!.hlc).toBe(true);
    // The edit names the insert it overwrote by its new clock; the field clocks and the tombstone follow.
    expect(JSON.parse(own[1]!.meta!)).toMatchObject({ b: { short_name: [own[0]!.hlc] }, s: own[0]!.hlc });
    const clocks = ahead!.store.sqlite.prepare('SELECT DISTINCT hlc FROM field_clocks').all() as { hlc: string }[];
    const known = new Set(own.map((c) => c.hlc));
    for (const c of clocks) expect(known.has(c.hlc), c.hlc).toBe(true);
    expect((ahead!.store.sqlite.prepare('SELECT hlc FROM sync_tombstones WHERE row_id = ?').get(t.id) as { hlc: string }).hlc).toBe(own[3]!.hlc);
    await syncFully(files.hub.hub, honest!);
    expect(getRow(honest!.store, 'schools', s.id)?.short_name).toBe('Правка');
    expect(getRow(honest!.store, 'schools', t.id)?.deleted_at).not.toBeNull();
  });

  it('keeps the server’s time across a restart: a reopened laptop still stamps by it until the next exchange', async () => {
    const d = await files.hub.hub.createDistrict('Район перезапуска');
    const ahead = makeLaptop('restart', true);
    await enrol(files.hub.hub, ahead, d.id);
    skewClock(ahead.store, 2 * DAY);
    await syncFully(files.hub.hub, ahead);
    const file = ahead.store.sqlite.name;
    ahead.store.close();
    const reopened = { ...ahead, store: openStore(file) };
    laptops.push(reopened);
    skewClock(reopened.store, 2 * DAY);
    expect(clockOffset(reopened.store)).toBeGreaterThan(DAY);
    school(reopened, 'После перезапуска');
    expect(Math.abs(clockLead(reopened.store))).toBeLessThan(CLOCK_TOLERANCE_MS);
  });

  it('a laptop two days behind that syncs by file takes the server’s time from the reply file', async () => {
    const [behind, honest] = await district('Район отставания', [-2 * DAY, 0]);
    const s = school(honest!, 'Школа');
    await syncFully(files.hub.hub, honest!);
    // The reply carried by hand: made by the server, imported later without an HTTP answer's time.
    const { hub } = files.hub;
    const reply = await hub.push(buildOutgoing(behind!.store, behind!.dataDir));
    importInto(behind!, reply);
    expect(clockOffset(behind!.store)).toBeLessThan(-DAY);
    await later();
    updateRow(behind!.store, 'schools', s.id, { notes: 'с отстающего ноутбука' });
    expect(Math.abs(clockLead(behind!.store))).toBeLessThan(CLOCK_TOLERANCE_MS);
    await exchange(hub, behind!);
    await syncFully(hub, honest!);
    expect(getRow(honest!.store, 'schools', s.id)?.notes).toBe('с отстающего ноутбука');
  });
});
