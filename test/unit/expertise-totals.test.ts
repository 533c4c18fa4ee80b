/**
 * Summaries that add up, on generated districts: every total equals the sum of its rows, the
 * distribution of totals groups by (maximum, points) so a sheet scored out of 5 never lands in
 * a row of 8, and «Н/о» has a row of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownPercent } from '../../core/format';
import { computeSheets } from '../../core/monitoring/expertiseData';
import { summarise, type ExpertiseSummary } from '../../core/monitoring/summary';
import { qb } from '../../db/store';
import { generateRegion } from '../fixtures/generate';
import { generateProgrammes } from '../fixtures/expertiseRegion';
import { openTestCore, type TestCore } from '../integration/coreFixture';

const DATE = '2022-06-30';
let t: TestCore;
let region: ExpertiseSummary;
let perDistrict: ExpertiseSummary[];

beforeAll(() => {
  t = openTestCore();
  const store = t.core.ctx.store;
  generateRegion(store, { schools: 240, districts: 4, seed: 11 });
  generateProgrammes(store, { programmes: 600, seed: 12 });
  const sheets = computeSheets(store, {}, DATE);
  region = summarise(DATE, sheets);
  const districts = store.all(qb.selectFrom('districts').select('id').where('deleted_at', 'is', null));
  perDistrict = districts.map((d) => summarise(DATE, sheets.filter((s) => s.districtId === d.id)));
});
afterAll(() => t.close());

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('expertise summaries add up (generated districts)', () => {
  it('has the cases the rules are about: sheets out of 8, out of 5 (plan Н/о) and without a roadmap', () => {
    const rows = region.totalDistribution.filter((d) => d.count > 0).map((d) => d.key);
    expect(rows.some((k) => k.endsWith('/8'))).toBe(true);
    expect(rows.some((k) => k.endsWith('/5'))).toBe(true);
    expect(rows).toContain('no_roadmap');
  });

  it('every distribution: counts sum to the programmes, percents to 100, each programme in exactly one row', () => {
    for (const s of [region, ...perDistrict]) {
      expect(s.assessed + s.notAssessable).toBe(s.programmes);
      for (const dist of [s.planDistribution, s.totalDistribution]) {
        expect(sum(dist.map((d) => d.count))).toBe(s.programmes);
        if (s.programmes > 0) expect(sum(dist.map((d) => d.percent))).toBe(100);
        const ids = dist.flatMap((d) => d.programmeIds);
        expect(new Set(ids).size).toBe(s.programmes);
        for (const d of dist) expect(d.programmeIds).toHaveLength(d.count);
      }
      expect(sum(s.districts.map((d) => d.rows.length))).toBe(s.programmes);
    }
  });

  it('the total distribution groups by (maximum, points): «3 из 5» is never counted as «3 из 8»', async () => {
    const sheets = new Map(computeSheets(t.core.ctx.store, {}, DATE).map((r) => [r.programmeId, r.sheet]));
    for (const d of region.totalDistribution) {
      for (const id of d.programmeIds) {
        const sheet = sheets.get(id)!;
        expect(d.key).toBe(sheet.assessable ? `${sheet.total}/${sheet.max}` : 'no_roadmap');
      }
    }
    const five = region.totalDistribution.find((d) => d.key === '3/5');
    expect(five?.label).toBe('3 из 5 (план: Н/о)');
    expect(region.totalDistribution.at(-1)).toMatchObject({ key: 'no_roadmap', label: 'Н/о (нет дорожной карты)' });
  });

  it('the region is the sum of its districts, row by row', () => {
    expect(sum(perDistrict.map((s) => s.programmes))).toBe(region.programmes);
    for (const dist of ['planDistribution', 'totalDistribution'] as const) {
      for (const row of region[dist]) {
        expect(sum(perDistrict.map((s) => s[dist].find((d) => d.key === row.key)?.count ?? 0)), `${dist} ${row.key}`).toBe(row.count);
      }
    }
    for (const c of region.criteria) {
      expect(sum(perDistrict.map((s) => s.criteria.find((x) => x.criterion === c.criterion)!.count))).toBe(c.count);
    }
  });

  it('per criterion: the count of assessed sheets meeting it, and its share of the assessed, half up', () => {
    const sheets = computeSheets(t.core.ctx.store, {}, DATE).map((r) => r.sheet);
    const assessed = sheets.filter((s) => s.assessable);
    for (const c of region.criteria) {
      const count = assessed.filter((s) => s.assessable && s.criteria.find((x) => x.criterion === c.criterion)!.points === 1).length;
      expect([c.count, c.percent]).toEqual([count, shownPercent(count, assessed.length)]);
    }
  });
});
