import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
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

describe('sheets, repeated headers and the template', () => {
  it('reads the sheet asked for, skips a header repeated after a page break, and the template carries the columns it reads', async () => {
    const withBreak = [...SCHOOL_ROWS.slice(0, 2), SCHOOL_HEADER, SCHOOL_ROWS[2]!];
    const file = await schoolListXlsx(withBreak, { sheets: ['Пояснения'] });
    const first = await read('ШНОР.xlsx', file);
    expect([first.sheets, first.sheet]).toEqual([['Пояснения', 'Список ШНОР'], 'Пояснения']);
    expect((await fail('imports.preview', { kind: 'schools', rows: first.rows })).message).toContain('не найдена строка заголовков');
    const list = await read('ШНОР.xlsx', file, 'Список ШНОР');
    const preview = await ok('imports.preview', { kind: 'schools', rows: list.rows });
    expect(preview.rows.map((r) => [r.row, r.status])).toEqual([
      [5, 'new'],
      [6, 'new'],
      [8, 'new'],
    ]);

    const template = await ok('imports.template', { kind: 'assignments' });
    const blank = await read(template.fileName, Buffer.from(template.base64, 'base64'));
    expect(blank.rows).toEqual([['Школа', 'Куратор', 'Должность куратора', 'Место работы куратора', 'Приказ', 'Номер приказа', 'Дата приказа', 'Дата начала', 'Дата окончания']]);
    expect((await fail('imports.preview', { kind: 'assignments', rows: blank.rows })).message).toBe('Под заголовком нет ни одной заполненной строки — это не список закреплений кураторов.');
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
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect((await fail('imports.read', { fileName: 'old.xls', base64: xls.toString('base64') })).message).toContain('старом формате Office 97–2003');
    const docx = Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>') }));
    expect((await fail('imports.read', { fileName: 'list.docx', base64: docx.toString('base64') })).message).toBe('Файл «list.docx» — документ Word; список загружается из таблицы Excel (.xlsx) или CSV.');
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

describe('people and curator assignments', () => {
  const header = ['ФИО', 'Должность', 'Место работы', 'Телефон', 'E-mail', 'Роль'];
  beforeEach(async () => {
    await ok('schools.create', { full_name: 'МАОУ «СОШ № 7»', short_name: 'СОШ № 7', kind: 'СОШ', is_participant: true, stage: 'forming' });
    await ok('schools.create', { full_name: 'МАОУ «Лицей № 10»', short_name: 'Лицей № 10', kind: 'Лицей', is_participant: false, stage: 'forming' });
  });

  it('adds people with their roles and school, never takes a role away, and makes a director the school\'s director', async () => {
    const kozhina = await ok('people.create', { last_name: 'Кожина', first_name: 'Хадижат', middle_name: 'Алиевна', position: null, organisation_id: null, phone: null, email: null, is_coordinator: false, is_curator: false, is_school_coordinator: false, is_director: true });
    const rows = [
      header,
      ['Кожина Хадижат Алиевна ', 'Заместитель директора по УР', 'Лицей № 10', '', '', 'куратор'],
      ['Соболева Елена Викторовна', 'Директор', 'МАОУ "СОШ № 7"', '+7 (343) 123-45-67', 'soboleva@example.ru', 'директор'],
      ['Петров', '', '', '', '', ''],
      ['Иванов Иван Иванович', '', 'Школа № 99', '', '', 'куратор'],
      ['Сидоров Пётр', '', '', '', 'не почта', ''],
    ];
    const preview = await ok('imports.preview', { kind: 'people', rows });
    expect(preview.rows.map((r) => [r.row, r.status, r.changed ?? r.note ?? null])).toEqual([
      [2, 'changed', ['Должность', 'Место работы', 'Роль «куратор»']],
      [3, 'new', 'директор школы «СОШ № 7»'],
      [4, 'refused', 'ФИО: «Петров» — нужны хотя бы фамилия и имя'],
      [5, 'refused', 'Место работы «Школа № 99» не найдено среди школ района: сначала загрузите список школ или снимите сопоставление столбца.'],
      [6, 'refused', 'E-mail: Неверный адрес электронной почты'],
    ]);
    await ok('imports.commitPeople', { kind: 'people', rows });
    const k = ctx.store.first(qb.selectFrom('people').selectAll().where('id', '=', kozhina.id))!;
    expect([k.is_director, k.is_curator, k.position]).toEqual([1, 1, 'Заместитель директора по УР']);
    const school = ctx.store.first(qb.selectFrom('schools').innerJoin('people', 'people.id', 'schools.director_id').select(['people.last_name', 'people.phone']).where('schools.short_name', '=', 'СОШ № 7'))!;
    expect(school).toEqual({ last_name: 'Соболева', phone: '+7 (343) 123-45-67' });
    expect((await ok('imports.preview', { kind: 'people', rows })).counts).toEqual({ new: 0, same: 2, changed: 0, refused: 3 });
  });

  it('assigns curators with their orders, creating each order and each new curator once; the whole import is one undo step', async () => {
    const rows = [
      ['Закрепление кураторов', '', '', '', ''],
      ['Школа', 'ФИО куратора', 'Место работы куратора', 'Приказ', 'Дата окончания'],
      ['СОШ № 7', 'Кожина Х.А.', 'Лицей № 10', 'Приказ № 89 от 27.03.2021', ''],
      ['МАОУ «Лицей № 10»', 'Кожина Х.А.', 'Лицей № 10', '№ 89 от 27.03.2021 г.', '31.12.2021'],
      ['СОШ № 7', 'Кожина Х.А.', 'Лицей № 10', 'Приказ № 89 от 27.03.2021', ''],
      ['СОШ № 8', 'Иванов Иван Иванович', '', '№ 90 от 28.03.2021', ''],
      ['СОШ № 7', 'Лукьянова Ирина Олеговна', '', 'приказ от марта', ''],
    ];
    const before = changeCount();
    const preview = await ok('imports.preview', { kind: 'assignments', rows });
    expect(preview.headerRow).toBe(1);
    expect(preview.rows.map((r) => [r.row, r.status, r.note ?? null])).toEqual([
      [3, 'new', 'новый куратор, новый приказ № 89'],
      [4, 'new', null],
      [5, 'refused', 'То же закрепление, что в строке 3.'],
      [6, 'refused', 'Школа «СОШ № 8» не найдена в районе: сначала загрузите список школ.'],
      [7, 'refused', 'Приказ: «приказ от марта» — ожидалось «№ 89 от 27.03.2021»'],
    ]);
    const done = await ok('imports.commitAssignments', { kind: 'assignments', rows });
    expect(done.written).toBe(4);
    const assigned = ctx.store.all(
      qb
        .selectFrom('curator_assignments as a')
        .innerJoin('schools as s', 's.id', 'a.school_id')
        .innerJoin('people as p', 'p.id', 'a.curator_id')
        .innerJoin('orders as o', 'o.id', 'a.order_id')
        .select(['s.short_name', 'p.last_name', 'p.first_name', 'p.is_curator', 'o.number', 'o.date', 'a.date_from', 'a.date_to'])
        .orderBy('s.short_name'),
    );
    expect(assigned).toEqual([
      { short_name: 'Лицей № 10', last_name: 'Кожина', first_name: 'Х.', is_curator: 1, number: '89', date: '2021-03-27', date_from: '2021-03-27', date_to: '2021-12-31' },
      { short_name: 'СОШ № 7', last_name: 'Кожина', first_name: 'Х.', is_curator: 1, number: '89', date: '2021-03-27', date_from: '2021-03-27', date_to: null },
    ]);
    expect((await ok('imports.preview', { kind: 'assignments', rows })).counts).toEqual({ new: 0, same: 2, changed: 0, refused: 3 });

    expect(await ok('app.undo', {})).toMatchObject({ done: true, message: 'Отменено: импорт закреплений кураторов (записей: 4).' });
    expect(ctx.store.all(qb.selectFrom('curator_assignments').select('id').where('deleted_at', 'is', null))).toEqual([]);
    expect(ctx.store.all(qb.selectFrom('orders').select('id').where('deleted_at', 'is', null))).toEqual([]);
    expect(ctx.store.all(qb.selectFrom('people').select('id').where('deleted_at', 'is', null))).toEqual([]);
    expect(changeCount()).toBeGreaterThan(before);
  });
});
