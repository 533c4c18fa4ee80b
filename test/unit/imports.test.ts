import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { openStore } from '../../db/open';
import { qb } from '../../db/store';
import { csvOf, SCHOOL_HEADER, SCHOOL_ROWS, schoolListXlsx, utf8Bom, win1251, xlsxOf } from '../fixtures/import/lists';

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
const read = (fileName: string, bytes: Buffer, sheet?: string) => ok('imports.read', { fileName, base64: bytes.toString('base64'), sheet: sheet ?? null });
const changeCount = () => ctx.store.first(qb.selectFrom('changes').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
const schools = () => ctx.store.all(qb.selectFrom('schools').selectAll().where('deleted_at', 'is', null).orderBy('full_name'));

beforeEach(async () => {
  ctx = { store: openStore(':memory:'), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-import-')), emit: () => {} };
  await ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
});
afterEach(() => {
  ctx.store.close();
  fs.rmSync(ctx.dataDir, { recursive: true, force: true });
});

describe('school list from XLSX', () => {
  it('finds the header under merged title rows, previews each row, writes nothing until the commit, and a second import changes nothing', async () => {
    const table = await read('ШНОР.xlsx', await schoolListXlsx());
    expect(table.sheet).toBe('Список ШНОР');
    const before = changeCount();
    const preview = await ok('imports.preview', { kind: 'schools', rows: table.rows });
    expect(preview.headerRow).toBe(3);
    expect(preview.mapping).toEqual([null, 'municipality', 'full_name', null, 'kind', 'cohort_year', 'risk_group', 'address']);
    expect(preview.rows.map((r) => [r.row, r.status])).toEqual([
      [5, 'new'],
      [6, 'new'],
      [7, 'new'],
      [8, 'refused'],
      [9, 'refused'],
    ]);
    expect(preview.rows[3]!.note).toContain('другого муниципалитета');
    expect(preview.rows[4]!.note).toBe('Год включения в проект: «двадцать первый» — не год (ожидалось, например, 2022)');
    expect(changeCount()).toBe(before);

    const done = await ok('imports.commitSchools', { kind: 'schools', rows: table.rows, mapping: preview.mapping, headerRow: preview.headerRow });
    expect(done.counts).toEqual({ new: 3, same: 0, changed: 0, refused: 2 });
    const rows = schools();
    expect(rows.map((s) => [s.full_name, s.short_name, s.kind, s.cohort_year])).toEqual([
      ['МАОУ «Средняя общеобразовательная школа № 2»', 'Средняя общеобразовательная школа № 2', 'СОШ', 2022],
      ['МБОУ «Алёшинская ООШ»', 'Алёшинская ООШ', 'ООШ', 2021],
      ['МКОУ "Генухская СОШ имени Тагирова А.Р."', 'Генухская СОШ имени Тагирова А.Р.', 'СОШ', 2021],
    ]);

    const afterFirst = changeCount();
    const again = await ok('imports.commitSchools', { kind: 'schools', rows: table.rows });
    expect(again.counts).toEqual({ new: 0, same: 3, changed: 0, refused: 2 });
    expect(again.written).toBe(0);
    expect(changeCount()).toBe(afterFirst);
  });

  it('matches «МКОУ «Генухская СОШ»» to «МКОУ "Генухская СОШ"», ё to е and trailing spaces, and names the changed fields', async () => {
    await ok('schools.create', { full_name: 'МКОУ «Генухская СОШ имени Тагирова А.Р.»', short_name: 'Генухская СОШ', kind: 'СОШ', is_participant: true, stage: 'forming', cohort_year: 2021, risk_group: 'Базово неуспевающие' });
    await ok('schools.create', { full_name: 'МБОУ «Алешинская ООШ»', short_name: 'Алешинская ООШ', kind: 'ООШ', is_participant: true, stage: 'forming', cohort_year: 2020 });
    const table = await read('ШНОР.xlsx', await schoolListXlsx());
    const preview = await ok('imports.preview', { kind: 'schools', rows: table.rows });
    expect(preview.rows.slice(0, 3).map((r) => [r.status, r.changed ?? []])).toEqual([
      ['changed', ['Адрес']],
      ['new', []],
      ['changed', ['Год включения в проект', 'Группа риска']],
    ]);
  });
});

describe('CSV', () => {
  it('reads Windows-1251 and UTF-8 with BOM into the same rows', async () => {
    const text = csvOf([SCHOOL_HEADER, ...SCHOOL_ROWS]);
    const cp = await read('schools.csv', win1251(text));
    const bom = await read('schools.csv', utf8Bom(text));
    expect(cp.rows).toEqual(bom.rows);
    expect(cp.rows[3]![2]).toBe('МБОУ «Алёшинская ООШ»');
    const preview = await ok('imports.preview', { kind: 'schools', rows: bom.rows });
    expect(preview.counts).toEqual({ new: 3, same: 0, changed: 0, refused: 2 });
  });
});

describe('bad files are refused whole with a Russian message', () => {
  it('damaged, password-protected, wrong kind, too big, no header', async () => {
    const before = changeCount();
    const good = await schoolListXlsx();
    const damaged = Buffer.concat([good.subarray(0, 200), Buffer.alloc(300, 7)]);
    expect((await fail('imports.read', { fileName: 'a.xlsx', base64: damaged.toString('base64') })).message).toContain('повреждён');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600), Buffer.from('EncryptedPackage', 'utf16le')]);
    expect((await fail('imports.read', { fileName: 'b.xlsx', base64: ole.toString('base64') })).message).toContain('защищён паролем');
    const pdf = Buffer.from('%PDF-1.4\n\u0000binary');
    expect((await fail('imports.read', { fileName: 'c.xlsx', base64: pdf.toString('base64') })).message).toContain('не таблица Excel');
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    expect((await fail('imports.read', { fileName: 'd.csv', base64: big.toString('base64') })).message).toBe(
      'Файл «d.csv» — 50,0 МБ; импорт принимает файлы до 20,0 МБ. Сохраните в отдельный файл только нужный лист или таблицу.',
    );
    const noHeader = await read('e.xlsx', await xlsxOf('Лист1', [['Отчёт'], ['Какие-то', 'данные']]));
    expect((await fail('imports.preview', { kind: 'schools', rows: noHeader.rows })).message).toContain('не найдена строка заголовков');
    expect(changeCount()).toBe(before);
  });
});
