import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { openStore } from '../../db/open';

let ctx: Ctx;
async function ok<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as OutputOf<N>;
}
async function fail<N extends CallName>(name: N, input: InputOf<N>) {
  const r = await dispatch(ctx, name, input);
  if (r.ok) throw new Error(`${name} should have failed`);
  return r.error;
}

const YEAR = new Date().getFullYear();

beforeEach(async () => {
  ctx = { store: openStore(':memory:'), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-muni-')), emit: () => {} };
  await ok('app.createDistrict', { region: 'Ростовская область', district: 'г. Шахты' });
});
afterEach(() => {
  ctx.store.close();
  fs.rmSync(ctx.dataDir, { recursive: true, force: true });
});

describe('municipal roadmap', () => {
  it('creates the four standard sections once, items under them, and a report per stage', async () => {
    const sections = await ok('muni.createStandardSections', { year: YEAR });
    expect(sections.map((s) => s.title)).toEqual([
      'Организационное сопровождение Проекта 500+',
      'Информационное сопровождение Проекта 500+',
      'Методическое сопровождение Проекта 500+',
      'Участие в мониторинговых исследованиях',
    ]);
    expect(await ok('muni.createStandardSections', { year: YEAR })).toEqual([]);
    const item = await ok('muniItems.create', {
      section_id: sections[0]!.id,
      description: 'Посещение школ-участниц Проекта 500+ закрепленными кураторами',
      period_text: `Август-ноябрь ${YEAR}`,
      responsible: 'Кураторы проекта',
      indicator: 'Наличие графиков посещений',
    });
    const roadmap = await ok('muni.get', { year: YEAR });
    const m2 = roadmap.stages.find((s) => s.code === 'M2')!;
    expect(m2).toBeTruthy();
    await ok('muniReports.save', { item_id: item.id, stage_id: m2.id, text: 'Графики посещения школ кураторами', links: 'https://disk.yandex.ru/i/Blmt1s8clBuahg\n\n  https://disk.yandex.ru/i/2 ' });
    await ok('muniReports.save', { item_id: item.id, stage_id: m2.id, text: 'Графики утверждены', links: 'https://disk.yandex.ru/i/Blmt1s8clBuahg' });
    const after = await ok('muni.get', { year: YEAR });
    const reports = after.sections[0]!.items[0]!.reports;
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ stage_id: m2.id, text: 'Графики утверждены', links: 'https://disk.yandex.ru/i/Blmt1s8clBuahg' });
    expect(after.years).toContain(YEAR);
  });

  it('validates items and report links with Russian messages', async () => {
    const [s] = await ok('muni.createStandardSections', { year: YEAR });
    const e = await fail('muniItems.create', { section_id: s!.id, description: '', period_text: '', responsible: null, indicator: null });
    expect(e.fields).toMatchObject({ description: 'Заполните поле', period_text: 'Заполните поле' });
    const item = await ok('muniItems.create', { section_id: s!.id, description: 'Отчёт', period_text: 'Ноябрь', responsible: null, indicator: null });
    const stage = (await ok('muni.get', { year: YEAR })).stages[0]!;
    const bad = await fail('muniReports.save', { item_id: item.id, stage_id: stage.id, text: 'x', links: 'disk.yandex.ru/i/1' });
    expect(bad.fields?.links).toContain('http');
  });

  it('an emptied report is removed; a section with items cannot be deleted; an item goes to the trash', async () => {
    const [s] = await ok('muni.createStandardSections', { year: YEAR });
    const item = await ok('muniItems.create', { section_id: s!.id, description: 'Семинар', period_text: 'Декабрь', responsible: null, indicator: null });
    const stage = (await ok('muni.get', { year: YEAR })).stages[0]!;
    await ok('muniReports.save', { item_id: item.id, stage_id: stage.id, text: 'Проведён', links: null });
    expect(await ok('muniReports.save', { item_id: item.id, stage_id: stage.id, text: '', links: '' })).toBeNull();
    expect((await ok('muni.get', { year: YEAR })).sections[0]!.items[0]!.reports).toEqual([]);
    expect((await fail('muniSections.delete', { id: s!.id })).message).toContain('1 пункт');
    await ok('muniItems.delete', { id: item.id });
    expect((await ok('trash.list', {})).map((i) => i.id)).toContain(item.id);
    await ok('muniSections.delete', { id: s!.id });
    expect((await ok('muni.get', { year: YEAR })).sections).toHaveLength(3);
  });
});
