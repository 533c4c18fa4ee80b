import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentsAddingUp } from '../../core/monitoring/summary';
import { qb } from '../../db/store';
import { EXPECTED, REPORTING_DATE, seedExpertise, type SeededExpertise } from '../fixtures/expertise';
import { openTestCore, type TestCore } from '../integration/coreFixture';

let t: TestCore;
let seeded: SeededExpertise;

beforeAll(() => {
  t = openTestCore();
  seeded = seedExpertise(t.core.ctx.store);
});
afterAll(() => t.close());

async function regionSummary() {
  const a = await t.ok('expertise.list', { districtId: seeded.districtIds[0]!, reportingDate: REPORTING_DATE });
  const b = await t.ok('expertise.list', { districtId: seeded.districtIds[1]!, reportingDate: REPORTING_DATE });
  return { a, b };
}

describe('expertise summaries from the hand-counted fixture', () => {
  it('per criterion: number and share of the assessed programmes', async () => {
    const { computeSheets } = await import('../../core/monitoring/expertiseData');
    const { summarise } = await import('../../core/monitoring/summary');
    const s = summarise(REPORTING_DATE, computeSheets(t.core.ctx.store, {}, REPORTING_DATE));
    expect(s.programmes).toBe(EXPECTED.programmes);
    expect(s.assessed).toBe(EXPECTED.assessed);
    expect(s.notAssessable).toBe(EXPECTED.notAssessable);
    for (const c of s.criteria) expect([c.count, c.percent], c.criterion).toEqual(EXPECTED.criteria[c.criterion]);
  });

  it('the distribution of plan points covers every programme once and its percents add up to 100', async () => {
    const { computeSheets } = await import('../../core/monitoring/expertiseData');
    const { summarise } = await import('../../core/monitoring/summary');
    const s = summarise(REPORTING_DATE, computeSheets(t.core.ctx.store, {}, REPORTING_DATE));
    const counts = Object.fromEntries(s.planDistribution.map((d) => [d.key, d.count]));
    const percents = Object.fromEntries(s.planDistribution.map((d) => [d.key, d.percent]));
    expect(counts).toEqual(EXPECTED.plan);
    expect(percents).toEqual(EXPECTED.planPercents);
    expect(s.planDistribution.reduce((x, d) => x + d.count, 0)).toBe(s.programmes);
    expect(s.planDistribution.reduce((x, d) => x + d.percent, 0)).toBe(100);
    expect(s.totalDistribution.reduce((x, d) => x + d.count, 0)).toBe(s.programmes);
    expect(new Set(s.planDistribution.flatMap((d) => d.programmeIds)).size).toBe(s.programmes);
  });

  it('seed 003 table does not add up; ours does', () => {
    // Seed 003, «Соотношение запланированных мероприятий к реализованным»: 20 programmes in the
    // sample, but the rows 3/2/1/0 count 4 + 2 + 5 + 7 = 18 and their percents 90%.
    const seed = [4, 2, 5, 7];
    expect(seed.reduce((a, b) => a + b, 0)).not.toBe(20);
    expect([20, 10, 25, 35].reduce((a, b) => a + b, 0)).not.toBe(100);
    // The same counts plus the programmes the seed left out, the way we count them:
    const ours = percentsAddingUp([...seed, 1, 1]);
    expect(ours.reduce((a, b) => a + b, 0)).toBe(100);
    expect(percentsAddingUp([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentsAddingUp([0, 0])).toEqual([0, 0]);
  });

  it('per district: school, points, % of plan, total and a comment, through the contract', async () => {
    const { a, b } = await regionSummary();
    const rows = [...a.summary.districts, ...b.summary.districts].flatMap((d) => d.rows);
    expect(rows).toHaveLength(EXPECTED.programmes);
    for (const r of rows) {
      expect(r.total, r.schoolName).toBe(EXPECTED.totals[r.schoolName as keyof typeof EXPECTED.totals]);
      expect(r.planPercent, r.schoolName).toBe(EXPECTED.planPercent[r.schoolName as keyof typeof EXPECTED.planPercent]);
    }
    const glebovo = rows.find((r) => r.schoolName === 'МОУ Глебовская ООШ')!;
    expect(glebovo.comment).toContain('Подтверждены только позиции вне плана');
    const makarovo = rows.find((r) => r.schoolName === 'МБОУ Макаровская СОШ')!;
    expect(makarovo.comment).toContain('без конкретной даты: 1');
  });

  it('the sheet explains itself: which measures lack concrete dates, which documents belong to unplanned measures', async () => {
    const mak = await t.ok('expertise.sheet', { programmeId: seeded.programmeIds.get('МБОУ Макаровская СОШ')!, reportingDate: REPORTING_DATE });
    if (!mak.sheet.assessable) throw new Error('assessable expected');
    const dates = mak.sheet.criteria.find((c) => c.criterion === 'dates')!;
    expect(dates.items.map((i) => i.title)).toEqual(['Индивидуальные консультации']);
    expect(dates.items[0]!.note).toContain('в течение года');
    const gleb = await t.ok('expertise.sheet', { programmeId: seeded.programmeIds.get('МОУ Глебовская ООШ')!, reportingDate: REPORTING_DATE });
    if (!gleb.sheet.assessable) throw new Error('assessable expected');
    expect(gleb.sheet.criteria.find((c) => c.criterion === 'evidence_match')!.items).toHaveLength(3);
  });

  it('a judgement mark is stored with who and when through the write layer, and changes the total', async () => {
    const store = t.core.ctx.store;
    const id = seeded.programmeIds.get('МБОУ Скоковская СОШ')!;
    const before = store.all(qb.selectFrom('changes').select('tbl')).length;
    store.session = { accountId: 'account-coordinator', personId: seeded.coordinatorId, role: 'coordinator', name: 'Координаторова А.' };
    // The author is the signed-in person: a mark naming someone is not a valid call.
    const named = await t.call('expertise.mark', { programmeId: id, reportingDate: REPORTING_DATE, criterion: 'evidence_fact', value: 0, byPersonId: seeded.curatorId } as never);
    expect(!named.ok && named.error.code).toBe('validation');
    const r = await t.ok('expertise.mark', { programmeId: id, reportingDate: REPORTING_DATE, criterion: 'evidence_fact', value: 0, comment: 'Только приказ, нет протокола' });
    if (!r.sheet.assessable) throw new Error('assessable expected');
    const c = r.sheet.criteria.find((x) => x.criterion === 'evidence_fact')!;
    expect(c.source).toBe('mark');
    expect(c.mark?.by_name).toBe('Координаторова А.');
    expect(c.mark?.comment).toBe('Только приказ, нет протокола');
    expect(r.sheet.total).toBe(7);
    // A second mark on the same criterion updates the row instead of adding one, signed by whoever set it.
    store.session = { accountId: 'account-curator', personId: seeded.curatorId, role: 'curator', name: 'Никитина Ю.С.' };
    await t.ok('expertise.mark', { programmeId: id, reportingDate: REPORTING_DATE, criterion: 'evidence_fact', value: 1, comment: null });
    const marks = store.all(qb.selectFrom('expertise_marks').selectAll().where('programme_id', '=', id).where('criterion', '=', 'evidence_fact'));
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ value: 1, by_person_id: seeded.curatorId });
    store.session = null;
    expect(store.all(qb.selectFrom('changes').select('tbl')).length).toBeGreaterThan(before);
  });

  it('refuses a note without text and an unknown programme, with Russian messages', async () => {
    const note = await t.call('expertise.mark', { programmeId: seeded.programmeIds.get('МОУ Глебовская ООШ')!, reportingDate: REPORTING_DATE, criterion: 'note', value: 0, comment: '' });
    expect(note.ok).toBe(false);
    if (!note.ok) expect(note.error.fields?.comment).toBe('Напишите комментарий');
    const missing = await t.call('expertise.mark', { programmeId: '0190a3b2-0000-7000-8000-000000000000', reportingDate: REPORTING_DATE, criterion: 'indicators', value: 1 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('not_found');
  });
});
