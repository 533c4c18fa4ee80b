/**
 * Local backups and restore, through the contract as the Настройки screen calls them: copies
 * with their attachment files kept once by hash, retention and pruning, the daily copy,
 * restore in the running app (the current state saved first, the store reopened, every screen
 * told), and refusals that change nothing: a damaged copy, another laptop's copy.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/contract';
import type { BackupInfo } from '../../core/contract/backup';
import { backupsDir, dailyBackupIfDue, listBackups, pruneBackups, retained, RETENTION } from '../../core/backup.node';
import { putBlob } from '../../core/blobs.node';
import { openStore } from '../../db/open';
import { countRows, openTestCore, tempDir, type TestCore } from './coreFixture';

process.env.SHNOR_SYNC_INTERVAL_MS = '0';
process.env.SHNOR_BACKUP_CHECK_MS = '0';
const cores: TestCore[] = [];
afterAll(() => {
  for (const c of cores) c.close();
});

async function district(): Promise<TestCore> {
  const c = openTestCore();
  cores.push(c);
  await c.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  return c;
}

const school = (short: string) => ({ full_name: `Школа ${short}`, short_name: short, kind: 'СОШ' as const, is_participant: true, stage: 'forming' as const });
const names = async (c: TestCore) => (await c.ok('schools.list', {})).rows.map((r) => r.short_name).sort();
const blobsKept = (c: TestCore) => fs.readdirSync(path.join(backupsDir(c.dir), 'blobs')).filter((n) => /^[0-9a-f]{64}$/.test(n));

describe('backups', () => {
  it('a copy is a whole database with its attachment files, each file kept once for all copies', async () => {
    const c = await district();
    await c.ok('schools.create', school('СОШ № 1'));
    const blob = putBlob(c.core.ctx.store, c.dir, Buffer.from('скан приказа'), 'text/plain', 'приказ.txt');

    const first = await c.ok('backups.create', {});
    const second = await c.ok('backups.create', {});
    expect(first.kind).toBe('manual');
    expect(second.id).not.toBe(first.id);
    const list = await c.ok('backups.list', {});
    expect(list.dir).toBe(backupsDir(c.dir));
    expect(list.backups.map((b) => b.id)).toEqual([second.id, first.id]);
    expect(list.backups[0]!.size).toBe(fs.statSync(path.join(list.dir, second.id)).size);
    // No temporary file is left beside the copies.
    expect(fs.readdirSync(list.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const copy = new Database(path.join(list.dir, first.id), { readonly: true });
    expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect((copy.prepare('SELECT short_name FROM schools').all() as { short_name: string }[]).map((r) => r.short_name)).toEqual(['СОШ № 1']);
    copy.close();
    expect(blobsKept(c)).toEqual([blob.sha256]);
    expect(fs.readFileSync(path.join(list.dir, 'blobs', blob.sha256), 'utf8')).toBe('скан приказа');
  });

  it('restores in the running app: the current state saved first, the store reopened, every screen told, files brought back', async () => {
    const c = await district();
    await c.ok('schools.create', school('СОШ № 1'));
    const blob = putBlob(c.core.ctx.store, c.dir, Buffer.from('фото доски'), 'text/plain', 'фото.txt');
    const backup = await c.ok('backups.create', {});
    await c.ok('schools.create', school('СОШ № 2'));
    // The live attachment file is lost after the copy was made.
    fs.rmSync(path.join(c.dir, 'blobs', blob.sha256));
    const storeBefore = c.core.ctx.store;

    const events: AppEvent[] = [];
    const off = c.core.on((e) => events.push(e));
    const r = await c.ok('backups.restore', { id: backup.id });
    off();

    expect(r.restored.id).toBe(backup.id);
    expect(r.saved.kind).toBe('before-restore');
    expect(r.missingFiles).toBe(0);
    expect(c.core.ctx.store).not.toBe(storeBefore);
    expect(storeBefore.sqlite.open).toBe(false);
    expect(await names(c)).toEqual(['СОШ № 1']);
    expect(fs.readFileSync(path.join(c.dir, 'blobs', blob.sha256), 'utf8')).toBe('фото доски');
    const changed = events.find((e): e is Extract<AppEvent, { type: 'data.changed' }> => e.type === 'data.changed');
    expect(changed?.tables).toEqual(expect.arrayContaining(['schools', 'people', 'visits', 'changes', 'meta']));
    const steps = events.filter((e) => e.type === 'progress' && e.task === 'backup.restore');
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(steps.at(-1)).toMatchObject({ done: 5, total: 5 });

    // The reopened store takes writes, and the saved state restores the later data.
    await c.ok('schools.create', school('СОШ № 3'));
    expect(await names(c)).toEqual(['СОШ № 1', 'СОШ № 3']);
    await c.ok('backups.restore', { id: r.saved.id });
    expect(await names(c)).toEqual(['СОШ № 1', 'СОШ № 2']);
    const kinds = (await c.ok('backups.list', {})).backups.map((b) => b.kind);
    expect(kinds.filter((k) => k === 'before-restore')).toHaveLength(2);
  });

  it('refuses a damaged copy in Russian before anything changes', async () => {
    const c = await district();
    await c.ok('schools.create', school('СОШ № 1'));
    const backup = await c.ok('backups.create', {});
    await c.ok('schools.create', school('СОШ № 2'));
    const file = path.join(backupsDir(c.dir), backup.id);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(size / 2));
    const before = (await c.ok('backups.list', {})).backups.length;

    const r = await c.call('backups.restore', { id: backup.id });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('backup_damaged');
      expect(r.error.message).toMatch(/повреждён.*текущие данные не изменены/);
    }
    expect(await names(c)).toEqual(['СОШ № 1', 'СОШ № 2']);
    expect((await c.ok('backups.list', {})).backups).toHaveLength(before);

    // Not a database at all, under a backup's name.
    fs.writeFileSync(path.join(backupsDir(c.dir), '2026-01-01T10-00-00-000Z.manual.sqlite'), 'это не база данных');
    const garbage = await c.call('backups.restore', { id: '2026-01-01T10-00-00-000Z.manual.sqlite' });
    expect(garbage.ok ? null : garbage.error.code).toBe('backup_damaged');
    const unknown = await c.call('backups.restore', { id: '2026-01-01T10-00-00-000Z.daily.sqlite' });
    expect(unknown.ok ? null : unknown.error.code).toBe('backup_not_found');
    const traversal = await c.call('backups.restore', { id: '../district.sqlite' });
    expect(traversal.ok ? null : traversal.error.code).toBe('validation');
    expect(await names(c)).toEqual(['СОШ № 1', 'СОШ № 2']);
  });

  it("refuses another laptop's copy of an enrolled laptop, changing nothing", async () => {
    const a = await district();
    const b = await district();
    const foreign = await b.ok('backups.create', {});
    fs.mkdirSync(backupsDir(a.dir), { recursive: true });
    fs.copyFileSync(path.join(backupsDir(b.dir), foreign.id), path.join(backupsDir(a.dir), foreign.id.replace('manual', 'daily')));
    a.core.ctx.store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('sync.server', ''), ('sync.district', 'x'), ('sync.hub_device', 'hub'), ('sync.hub_key', 'k')").run();
    const r = await a.call('backups.restore', { id: foreign.id.replace('manual', 'daily') });
    expect(r.ok ? null : r.error.code).toBe('other_device');
    // Refused before the current state was copied: no new copy, no working file left.
    expect(listBackups(a.dir)).toHaveLength(1);
    expect(fs.readdirSync(a.dir).filter((n) => n.startsWith('.restore'))).toEqual([]);
  });

  it('lists and restores the copy made before a migration, upgrading it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'district.sqlite');
    const old = openStore(file, { targetVersion: 1 });
    old.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'до обновления')").run();
    old.close();
    openStore(file).close();
    const c = openTestCore(dir);
    cores.push(c);
    const list = (await c.ok('backups.list', {})).backups;
    expect(list.map((b) => b.kind)).toEqual(['before-update']);
    await c.ok('backups.restore', { id: list[0]!.id });
    const store = c.core.ctx.store;
    expect(store.sqlite.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'до обновления' });
    expect(countRows(store, 'schools')).toBe(0);
  });

  it('makes one daily copy a day', async () => {
    const c = await district();
    // The district's days (Moscow, UTC+3): 10 March runs from 21:00 UTC on 9 March to 21:00 UTC on 10 March.
    expect(dailyBackupIfDue(c.core.ctx.store, c.dir, { now: new Date(Date.UTC(2026, 2, 9, 21, 30)) })?.kind).toBe('daily');
    expect(dailyBackupIfDue(c.core.ctx.store, c.dir, { now: new Date(Date.UTC(2026, 2, 10, 20, 30)) })).toBeNull();
    expect(dailyBackupIfDue(c.core.ctx.store, c.dir, { now: new Date(Date.UTC(2026, 2, 10, 21, 5)) })?.kind).toBe('daily');
    expect(listBackups(c.dir).filter((b) => b.kind === 'daily')).toHaveLength(2);
  });
});

describe('retention', () => {
  const at = (y: number, m: number, d: number, kind: BackupInfo['kind'] = 'daily'): BackupInfo => ({
    id: `${y}-${m}-${d}-${kind}`,
    kind,
    createdAt: new Date(Date.UTC(y, m - 1, d, 9)).toISOString(),
    size: 1,
  });

  it('keeps the 7 newest daily copies and the newest of each of the last 6 months, and a bounded number of the others', () => {
    const daily: BackupInfo[] = [];
    // Every day from 1 January to 20 September.
    for (let t = new Date(Date.UTC(2026, 0, 1)); t <= new Date(Date.UTC(2026, 8, 20)); t = new Date(t.getTime() + 86_400_000)) {
      daily.push(at(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()));
    }
    const manual = Array.from({ length: 12 }, (_, i) => at(2026, 9, i + 1, 'manual'));
    const all = [...daily, ...manual].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const keep = retained(all, 'Europe/Moscow');
    const keptDaily = daily.filter((b) => keep.has(b.id)).map((b) => b.id).sort();
    expect(keptDaily).toEqual(
      [
        ...[14, 15, 16, 17, 18, 19, 20].map((d) => `2026-9-${d}-daily`),
        '2026-8-31-daily',
        '2026-7-31-daily',
        '2026-6-30-daily',
        '2026-5-31-daily',
        '2026-4-30-daily',
      ].sort(),
    );
    expect(manual.filter((b) => keep.has(b.id))).toHaveLength(RETENTION.manual);
    expect(keep.has('2026-9-1-manual')).toBe(false);
  });

  it('prunes old copies and the attachment files no remaining copy references', async () => {
    const c = await district();
    const store = c.core.ctx.store;
    const old = putBlob(store, c.dir, Buffer.from('старый файл'), 'text/plain');
    const morning = (d: number) => new Date(Date.UTC(2026, 0, d, 7));
    for (let d = 1; d <= 3; d++) dailyBackupIfDue(store, c.dir, { now: morning(d) });
    // The file leaves the live data (its row is gone); newer copies do not reference it.
    store.sqlite.prepare('DELETE FROM blobs WHERE sha256 = ?').run(old.sha256);
    const kept = putBlob(store, c.dir, Buffer.from('новый файл'), 'text/plain');
    for (let d = 4; d <= 12; d++) dailyBackupIfDue(store, c.dir, { now: morning(d) });
    const days = listBackups(c.dir).map((b) => new Date(b.createdAt).getUTCDate());
    // January's newest is also the month's copy: 7 remain, days 6..12.
    expect(days).toEqual([12, 11, 10, 9, 8, 7, 6]);
    expect(blobsKept(c)).toEqual([kept.sha256]);
    expect(pruneBackups(c.dir)).toEqual({ removed: [], blobsRemoved: 0 });
  });
});
