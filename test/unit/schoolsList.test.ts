import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { openStore } from '../../db/open';
import type { Store } from '../../db/store';

let store: Store;
let ctx: Ctx;
beforeEach(async () => {
  store = openStore(':memory:');
  ctx = { store, dataDir: '/tmp', emit: () => {} };
  await dispatch(ctx, 'app.createDistrict', { region: 'Регион', district: 'Район' });
});
afterEach(() => store.close());

async function addSchool(short_name: string, extra: Record<string, unknown> = {}) {
  const r = await dispatch(ctx, 'schools.create', { full_name: short_name, short_name, kind: 'СОШ', is_participant: true, stage: 'forming', ...extra });
  expect(r.ok).toBe(true);
}

async function names(input: Record<string, unknown>) {
  const r = await dispatch(ctx, 'schools.list', input);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { rows: { short_name: string }[] }).rows.map((s) => s.short_name);
}

describe('schools.list', () => {
  it('sorts names with numbers naturally, both ways', async () => {
    for (const n of [15, 2, 1, 21, 3]) await addSchool(`Средняя школа № ${n}`);
    expect(await names({})).toEqual(['Средняя школа № 1', 'Средняя школа № 2', 'Средняя школа № 3', 'Средняя школа № 15', 'Средняя школа № 21']);
    expect((await names({ dir: 'desc' }))[0]).toBe('Средняя школа № 21');
  });

  it('finds Cyrillic names whatever the case and ё/е, and takes % literally', async () => {
    await addSchool('Ёлкинская СОШ');
    await addSchool('Генухская СОШ');
    expect(await names({ search: 'елкин' })).toEqual(['Ёлкинская СОШ']);
    expect(await names({ search: 'ГЕНУХ' })).toEqual(['Генухская СОШ']);
    expect(await names({ search: '%' })).toEqual([]);
  });

  it('filters donors from participants and by cohort', async () => {
    await addSchool('Участница', { cohort_year: 2022 });
    await addSchool('Донор', { is_participant: false });
    expect(await names({ participant: 'donor' })).toEqual(['Донор']);
    expect(await names({ cohort_year: 2022 })).toEqual(['Участница']);
  });
});
