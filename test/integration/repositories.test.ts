/**
 * The issue-2 repositories (district, schools, people, orders, curator assignments, risk
 * profiles) through the real dispatch, on a fresh database and on one written by the
 * previous schema version and migrated at start-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../db/open';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { DB_FILE } from '../../main/paths';
import { openTestCore, tempDir, type TestCore } from './coreFixture';

const cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

/** Creates, reads, searches, filters, edits and links the issue-2 entities; asserts each step. */
async function exerciseRepositories(t: TestCore): Promise<void> {
  const school = await t.ok('schools.create', {
    full_name: 'Муниципальное казённое общеобразовательное учреждение «Тестовая СОШ»',
    short_name: 'МКОУ «Тестовая СОШ»',
    kind: 'СОШ',
    is_participant: true,
    cohort_year: 2025,
    risk_group: 'Высокий',
    stage: 'forming',
    site_url: 'https://test-school.example',
  });
  expect(school.is_participant).toBe(1);
  const director = await t.ok('people.create', {
    last_name: 'Ёлкина',
    first_name: 'Анна',
    middle_name: 'Петровна',
    is_coordinator: false,
    is_curator: false,
    is_school_coordinator: false,
    is_director: true,
    organisation_id: school.id,
  });
  await t.ok('schools.update', { id: school.id, patch: { director_id: director.id, address: 'с. Тестовое, ул. Школьная, 1' } });
  const curator = await t.ok('people.create', {
    last_name: 'Гаджиев',
    first_name: 'Магомед',
    is_coordinator: false,
    is_curator: true,
    is_school_coordinator: false,
    is_director: false,
  });
  const order = await t.ok('orders.create', { number: '15-о', date: '2025-02-03', title: 'О закреплении кураторов' });
  const assignment = await t.ok('assignments.create', { curator_id: curator.id, school_id: school.id, date_from: '2025-02-03', order_id: order.id });

  const factors = await t.ok('riskFactors.list', {});
  expect(factors.length).toBeGreaterThan(0);
  await t.ok('riskProfiles.save', { school_id: school.id, risk_factor_id: factors[0]!.id, level: 'high', activated: true, verified: false });

  const card = await t.ok('schools.get', { id: school.id });
  expect(card.school.address).toBe('с. Тестовое, ул. Школьная, 1');
  expect(card.director?.id).toBe(director.id);
  expect(card.curators.map((c) => [c.curator.id, c.order?.number])).toEqual([[curator.id, '15-о']]);
  expect(card.riskProfiles).toHaveLength(1);
  expect(card.riskProfiles[0]).toMatchObject({ level: 'high', activated: 1, verified: 0, factor_code: factors[0]!.code });

  // Search folds case and ё, filters combine.
  const found = await t.ok('schools.list', { search: 'тестовая', participant: 'participant', cohort_year: 2025 });
  expect(found.rows.map((r) => r.id)).toContain(school.id);
  const row = found.rows.find((r) => r.id === school.id)!;
  expect(row.curator_name).toBe('Гаджиев М.');
  expect(row.director_name).toBe('Ёлкина А.П.');
  const donors = await t.ok('schools.list', { search: 'тестовая', participant: 'donor' });
  expect(donors.rows.map((r) => r.id)).not.toContain(school.id);
  const people = await t.ok('people.list', { search: 'елкина' });
  expect(people.rows.map((r) => r.id)).toContain(director.id);

  const personCard = await t.ok('people.get', { id: curator.id });
  expect(personCard.assignments.map((a) => [a.assignment.id, a.school.id, a.order?.date])).toEqual([[assignment.id, school.id, '2025-02-03']]);
}

describe('repositories', () => {
  it('work on a fresh database', async () => {
    const t = openTestCore();
    cores.push(t);
    await t.ok('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
    await exerciseRepositories(t);
    expect(fs.existsSync(path.join(t.dir, 'backups'))).toBe(false);
  });

  it('work on a database written by schema version 1 and migrated at start-up, its rows intact', async () => {
    const dir = tempDir();
    // The previous app version wrote these rows (raw SQL in the version-1 shape).
    const old = openStore(path.join(dir, DB_FILE), { targetVersion: 1 });
    const ids = {
      region: '01900000-0000-7000-8000-000000000001',
      district: '01900000-0000-7000-8000-000000000002',
      school: '01900000-0000-7000-8000-000000000003',
      person: '01900000-0000-7000-8000-000000000004',
    };
    const now = '2025-01-10T09:00:00.000Z';
    old.sqlite.exec(`
      INSERT INTO meta (key, value) VALUES ('district_id', '${ids.district}'), ('device_id', '01900000-0000-7000-8000-0000000000ff');
      INSERT INTO regions (id, created_at, updated_at, name) VALUES ('${ids.region}', '${now}', '${now}', 'Свердловская область');
      INSERT INTO districts (id, created_at, updated_at, region_id, name) VALUES ('${ids.district}', '${now}', '${now}', '${ids.region}', 'Каменск-Уральский городской округ');
      INSERT INTO people (id, created_at, updated_at, district_id, last_name, first_name, middle_name, is_curator)
        VALUES ('${ids.person}', '${now}', '${now}', '${ids.district}', 'Иванова', 'Мария', 'Сергеевна', 1);
      INSERT INTO schools (id, created_at, updated_at, district_id, full_name, short_name, kind, is_participant, cohort_year, director_id, stage)
        VALUES ('${ids.school}', '${now}', '${now}', '${ids.district}', 'МАОУ «Средняя общеобразовательная школа № 3»', 'МАОУ «СОШ № 3»', 'СОШ', 1, 2024, '${ids.person}', 'implementing');
      INSERT INTO risk_factors (id, created_at, updated_at, year, code, title)
        VALUES ('01900000-0000-7000-8000-000000000005', '${now}', '${now}', 2025, 'РФ1', 'Низкая учебная мотивация обучающихся');
      INSERT INTO changes (device_id, device_seq, hlc, tbl, row_id, data) VALUES ('01900000-0000-7000-8000-0000000000ff', 1, '0', 'schools', '${ids.school}', '{}');
    `);
    const before = old.sqlite.prepare('SELECT * FROM schools').all();
    old.close();

    const t = openTestCore(dir);
    cores.push(t);
    expect(t.core.ctx.store.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(fs.readdirSync(path.join(dir, 'backups')).some((f) => f.startsWith(`${DB_FILE}.v1.`))).toBe(true);
    expect(t.core.ctx.store.sqlite.prepare('SELECT * FROM schools').all()).toEqual(before);

    const info = await t.ok('app.info', {});
    expect(info.district?.name).toBe('Каменск-Уральский городской округ');
    expect(info.region?.name).toBe('Свердловская область');
    const card = await t.ok('schools.get', { id: ids.school });
    expect(card.school.short_name).toBe('МАОУ «СОШ № 3»');
    expect(card.director?.last_name).toBe('Иванова');
    await exerciseRepositories(t);
    // The new writes continue the old device's sequence rather than restarting it.
    const seqs = t.core.ctx.store.sqlite.prepare('SELECT device_seq FROM changes ORDER BY device_seq').all() as { device_seq: number }[];
    expect(seqs[0]!.device_seq).toBe(1);
    expect(new Set(seqs.map((s) => s.device_seq)).size).toBe(seqs.length);
  });
});
