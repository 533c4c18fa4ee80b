/**
 * Issue 11 point 5: one district for every figure. A laptop works for one district (the
 * demo offers each seed district on its own); with a foreign district's rows in the same
 * database, as a hub replica holds them, Главная, the lists, the reports and the documents
 * still count the same schools, curators and programmes: the laptop's.
 */
import { strFromU8, unzipSync } from 'fflate';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRICTS, type DemoDistrict } from '../../core/contract/app';
import { referenceId } from '../../core/reference';
import { todayOf } from '../../core/localDay';
import { insertRow } from '../../db/write';
import { openTestCore, type TestCore } from './coreFixture';

let c: TestCore | null = null;
afterEach(() => {
  c?.close();
  c = null;
});

/** A neighbouring district with its own participant school, curator, АРП and visit. */
function addForeignDistrict(t: TestCore): void {
  const store = t.core.ctx.store;
  const region = store.sqlite.prepare('SELECT id FROM regions LIMIT 1').pluck().get() as string;
  const d = insertRow(store, 'districts', { region_id: region, name: 'Соседний район', visit_days_forming: 14, visit_days_implementing_due: 21, visit_days_implementing: 28 });
  const school = insertRow(store, 'schools', { district_id: d.id, full_name: 'МБОУ СОШ № 99', short_name: 'СОШ № 99', kind: 'СОШ', is_participant: true, stage: 'implementing' });
  const curator = insertRow(store, 'people', { district_id: d.id, last_name: 'Чужой', first_name: 'Куратор', is_curator: true, is_coordinator: false, is_school_coordinator: false, is_director: false });
  insertRow(store, 'curator_assignments', { curator_id: curator.id, school_id: school.id, date_from: '2021-03-15', date_to: null, order_id: null });
  insertRow(store, 'risk_profiles', { school_id: school.id, risk_factor_id: referenceId('risk_factor', '2021:РФ8'), level: 'high', activated: true, verified: true });
  insertRow(store, 'programmes', { school_id: school.id, kind: 'arp', risk_factor_id: referenceId('risk_factor', '2021:РФ8'), title: 'АРП соседей' });
  insertRow(store, 'visits', { curator_id: curator.id, school_id: school.id, date: todayOf(store), format: 'school', stage: 'implementing', is_draft: false });
}

describe.each(Object.keys(DEMO_DISTRICTS) as DemoDistrict[])('the %s demo beside a foreign district', (which) => {
  it('answers the same question with the same count on Главная, in lists, reports and documents', async () => {
    c = openTestCore();
    const info = await c.ok('app.loadDemo', { district: which });
    expect(info.district!.name).toBe(DEMO_DISTRICTS[which]);
    addForeignDistrict(c);
    const store = c.core.ctx.store;
    const district = info.district!.id;
    const mine = (sql: string) => store.sqlite.prepare(sql).pluck().get(district) as number;

    const participants = mine('SELECT count(*) FROM schools WHERE district_id = ? AND is_participant = 1 AND deleted_at IS NULL');
    const curators = mine('SELECT count(*) FROM people WHERE district_id = ? AND is_curator = 1 AND deleted_at IS NULL');
    const arps = mine("SELECT count(*) FROM programmes p JOIN schools s ON s.id = p.school_id WHERE s.district_id = ? AND p.kind = 'arp' AND p.deleted_at IS NULL");
    const visits = mine('SELECT count(*) FROM visits v JOIN schools s ON s.id = v.school_id WHERE s.district_id = ? AND v.deleted_at IS NULL');
    expect(participants).toBeGreaterThan(0);

    const start = await c.ok('start.summary', {});
    expect(start.counts.participants).toBe(participants);
    expect((await c.ok('schools.list', { participant: 'participant' })).total).toBe(participants);
    expect((await c.ok('people.list', { role: 'curator' })).total).toBe(curators);
    expect((await c.ok('visits.list', {})).total).toBe(visits);
    const options = await c.ok('reports.options', {});
    expect(options.curators).toHaveLength(curators);
    expect(options.programmes).toHaveLength(arps);
    const today = todayOf(store);
    const expertise = await c.ok('expertise.list', { districtId: null, reportingDate: today });
    expect(expertise.summary.programmes).toBe(arps);
    const dashboard = await c.ok('monitoring.dashboard', { districtId: null, reportingDate: today, from: `${today.slice(0, 4)}-01-01`, to: today });
    expect(dashboard.summary.programmes).toBe(arps);
    expect(new Set(dashboard.compliance.map((r) => r.schoolId)).size).toBeLessThanOrEqual(participants);
    expect(dashboard.compliance.every((r) => !r.schoolName.includes('99'))).toBe(true);

    const doc = await c.ok('reports.export', { request: { kind: 'muni', districtId: null, year: Number(today.slice(0, 4)), stageId: null, narrative: null, date: today } });
    const text = strFromU8(unzipSync(fs.readFileSync(doc.path))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain(`в проекте участвуют ${participants} школ`);
    expect(text).not.toContain('СОШ № 99');
  });
});
