/**
 * Roadmaps from Word and Excel (issue 14, points 3 and 4): the fixture files of
 * test/fixtures/import/roadmaps.ts go through the real calls — preview, then commit
 * into a school's АРП — and land as the rows a reader of the paper expects; a second
 * import changes nothing; bad files are refused whole with a Russian message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import type { CallName, InputOf, OutputOf } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { referenceId } from '../../core/reference';
import { ensureReferenceData } from '../../core/referenceData';
import { openStore } from '../../db/open';
import { qb } from '../../db/store';
import { bigRoadmapDocx, muniDocx, nestedRoadmapDocx, otherTableDocx, roadmapDocx, roadmapXlsx } from '../fixtures/import/roadmaps';

let ctx: Ctx;

async function ok<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as OutputOf<N>;
}

async function refusal<N extends CallName>(name: N, input: InputOf<N>): Promise<string> {
  const r = await dispatch(ctx, name, input);
  if (r.ok) throw new Error(`${name} should have been refused`);
  return r.error.message;
}

const file = (fileName: string, bytes: Uint8Array) => ({ fileName, base64: Buffer.from(bytes).toString('base64') });
const factor = (code: string) => referenceId('risk_factor', `2021:${code}`);
const changeCount = () => ctx.store.first(qb.selectFrom('changes').select((eb) => eb.fn.countAll<number>().as('n')))!.n;

let schoolId: string;

beforeEach(async () => {
  ctx = { store: openStore(':memory:'), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-roadmap-import-')), emit: () => {} };
  await ok('app.createDistrict', { region: 'Ростовская область', district: 'г. Шахты' });
  schoolId = (await ok('schools.create', { full_name: 'МБОУ СОШ № 7 г. Шахты', short_name: 'СОШ № 7', kind: 'СОШ', is_participant: true, stage: 'implementing' })).id;
});

afterEach(() => {
  ctx.store.close();
  fs.rmSync(ctx.dataDir, { recursive: true, force: true });
});

describe('АРП roadmap from Word', () => {
  it('finds the table after the text, applies merged tasks, keeps line breaks and lists, strips numbering, skips the typed-again header', async () => {
    const preview = await ok('imports.roadmapPreview', file('АРП СОШ 7.docx', await roadmapDocx()));
    expect(preview.tables).toHaveLength(1);
    const t = preview.tables[0]!;
    expect(t.columns).toEqual(['Задача', 'Мероприятие', 'Сроки', 'Ответственные', 'Участники', 'Показатели реализации', 'Подтверждающие документы']);
    expect(t.measures.map((m) => [m.task, m.title])).toEqual([
      ['Создать условия для успешной адаптации обучающихся 5-х классов', 'Организация информационной поддержки процесса адаптации'],
      ['Создать условия для успешной адаптации обучающихся 5-х классов', 'Индивидуальное консультирование родителей по проблемам адаптации'],
      ['Создать условия для успешной адаптации обучающихся 5-х классов', 'Диагностика уровня адаптации обучающихся 5-х классов'],
      ['Повысить предметную компетентность педагогов', 'Курсы повышения квалификации по формирующему оцениванию'],
      ['Повысить предметную компетентность педагогов', 'Открытые уроки с формирующим оцениванием'],
    ]);
    expect(t.skipped).toEqual([{ row: 5, reason: 'повтор строки заголовка' }]);
    const [m1, m2, m3, m4, m5] = t.measures;
    expect(m1!.responsible).toBe('Ответственный за сайт\nКлассные руководители 5-х классов');
    expect(m4!.participants).toBe('Учителя математики\nУчителя русского языка\nУчителя начальных классов');
    // The date lint on the way in: concrete dates pass, «в течение года», month ranges and half-years are marked.
    expect(t.measures.map((m) => m.date_vague)).toEqual([false, true, true, false, true]);
    // A Word hyperlink and a URL typed as text both become evidence links, titled by their text.
    expect(m1!.evidence).toEqual([{ title: 'Ссылка на страницу сайта сайт школы', kind: 'Ссылка на страницу сайта', url: 'http://76308s025.edusite.ru/adapt' }]);
    expect(m2!.evidence).toEqual([{ title: 'Аналитическая справка', kind: 'Аналитическая справка', url: 'https://disk.yandex.ru/i/1MgWL8EyK5Nipw' }]);
    // A document planned without a link has no evidence row yet: it is kept as the expected result.
    expect(m3!.evidence).toEqual([]);
    expect(m3!.expected_result).toBe('Аналитическая справка');
    expect(m5!.evidence).toEqual([]);
  });

  it('commits into a new АРП for the risk factor, with dates parsed where concrete; a second import changes nothing', async () => {
    const preview = await ok('imports.roadmapPreview', file('АРП СОШ 7.docx', await roadmapDocx()));
    const target = { school_id: schoolId, risk_factor_id: factor('РФ7') };
    const first = await ok('imports.roadmapCommit', { target, measures: preview.tables[0]!.measures });
    expect(first).toMatchObject({ programme_created: true, tasks: { created: 2 }, measures: { created: 5, updated: 0 }, links_added: 3 });

    const detail = await ok('programmes.get', { id: first.programme_id });
    expect(detail.programme.title).toBe('Антирисковая программа «Пониженный уровень качества школьной образовательной и воспитательной среды»');
    expect(detail.tasks.map((t) => t.title)).toEqual(['Создать условия для успешной адаптации обучающихся 5-х классов', 'Повысить предметную компетентность педагогов']);
    expect(detail.measures.map((m) => [m.title, m.date_text, m.date_from, m.date_to, m.evidence])).toEqual([
      ['Организация информационной поддержки процесса адаптации', '12.05.2022', '2022-05-12', '2022-05-12', 1],
      ['Индивидуальное консультирование родителей по проблемам адаптации', 'в течение года', null, null, 1],
      ['Диагностика уровня адаптации обучающихся 5-х классов', 'Март-декабрь 2022', null, null, 0],
      ['Курсы повышения квалификации по формирующему оцениванию', 'с 10.03.2022 по 02.04.2022', '2022-03-10', '2022-04-02', 1],
      ['Открытые уроки с формирующим оцениванием', 'первое полугодие', null, null, 0],
    ]);
    const evidence = await ok('evidence.list', { measure_id: detail.measures[3]!.id });
    expect(evidence.map((e) => [e.title, e.kind, e.url, e.verdict])).toEqual([['Сертификаты КПК', 'Сертификат КПК', 'https://disk.yandex.ru/d/kpk-2022', 'pending']]);

    const before = changeCount();
    const again = await ok('imports.roadmapCommit', { target, measures: preview.tables[0]!.measures });
    expect(again).toMatchObject({ programme_id: first.programme_id, programme_created: false, tasks: { created: 0, unchanged: 2 }, measures: { created: 0, updated: 0, unchanged: 5 }, links_added: 0 });
    expect(changeCount()).toBe(before);
  });

  it('one undo takes the whole import back: the new АРП, its tasks, measures and links', async () => {
    const preview = await ok('imports.roadmapPreview', file('АРП.docx', await roadmapDocx()));
    const { programme_id } = await ok('imports.roadmapCommit', { target: { school_id: schoolId, risk_factor_id: factor('РФ7') }, measures: preview.tables[0]!.measures });
    const outcome = await ok('app.undo', {});
    expect(outcome).toMatchObject({ done: true, message: expect.stringMatching(/^Отменено: импорт дорожной карты/) });
    expect((await ok('programmes.forSchool', { school_id: schoolId })).programmes).toEqual([]);
    const live = (table: 'programme_tasks' | 'measures' | 'evidence') =>
      ctx.store.first(qb.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null))!.n;
    expect([live('programme_tasks'), live('measures'), live('evidence')]).toEqual([0, 0, 0]);
    expect((await dispatch(ctx, 'programmes.get', { id: programme_id })).ok).toBe(false);
  });

  it('a date corrected in the file comes in on the next import; cells the file leaves empty keep what the app has', async () => {
    const preview = await ok('imports.roadmapPreview', file('АРП.docx', await roadmapDocx()));
    const measures = preview.tables[0]!.measures;
    const { programme_id } = await ok('imports.roadmapCommit', { target: { school_id: schoolId, risk_factor_id: factor('РФ7') }, measures });
    const corrected = measures.map((m, i) => (i === 1 ? { ...m, date_text: '19.05.2022', responsible: null } : m));
    const r = await ok('imports.roadmapCommit', { target: { programme_id }, measures: corrected });
    expect(r.measures).toEqual({ created: 0, updated: 1, unchanged: 4 });
    const m = (await ok('programmes.get', { id: programme_id })).measures[1]!;
    expect([m.date_text, m.date_to, m.responsible]).toEqual(['19.05.2022', '2022-05-19', 'Педагог-психолог']);
  });

  it('finds the roadmap inside a cell of a layout table', async () => {
    const preview = await ok('imports.roadmapPreview', file('форма.docx', await nestedRoadmapDocx()));
    expect(preview.tables.map((t) => t.measures.map((m) => [m.task, m.title, m.date_text]))).toEqual([[['Вовлечь родителей', 'Родительское собрание', '20.10.2022']]]);
  });

  it('reads 300 measures with their merged tasks', async () => {
    const preview = await ok('imports.roadmapPreview', file('big.docx', await bigRoadmapDocx(300)));
    const ms = preview.tables[0]!.measures;
    expect(ms).toHaveLength(300);
    expect(new Set(ms.map((m) => m.task)).size).toBe(30);
    expect(ms[299]).toMatchObject({ task: 'Задача номер 30', title: 'Мероприятие 300: семинар для педагогов' });
  });
});

describe('АРП roadmap from Excel', () => {
  it('skips the title row above the header, applies the task merged down, keeps line breaks, reads dates and hyperlinks', async () => {
    const preview = await ok('imports.roadmapPreview', file('Дорожная карта.xlsx', await roadmapXlsx()));
    const ms = preview.tables[0]!.measures;
    expect(ms.map((m) => [m.task, m.title, m.date_text, m.date_vague])).toEqual([
      ['Повысить учебную мотивацию обучающихся', 'Внедрение технологии формирующего оценивания на уроках', 'Апрель - май, 2022 год', true],
      ['Повысить учебную мотивацию обучающихся', 'Диагностика обучающихся с трудностями\nв учебной деятельности', '20.05.2022', false],
      ['Повысить учебную мотивацию обучающихся', 'Классные часы «Моё будущее»', '15.09.2022', false],
      ['Вовлечь родителей', 'Родительское собрание', '20.10.2022', false],
    ]);
    expect(ms[3]!.evidence).toEqual([{ title: 'Протокол', kind: 'Протокол', url: 'https://disk.yandex.ru/i/protocol-1' }]);
    const r = await ok('imports.roadmapCommit', { target: { school_id: schoolId, risk_factor_id: factor('РФ9') }, measures: ms });
    expect(r).toMatchObject({ tasks: { created: 2 }, measures: { created: 4 }, links_added: 1 });
  });
});

describe('bad files are refused whole', () => {
  const refused = async (name: string, bytes: Uint8Array) => {
    const before = changeCount();
    const message = await refusal('imports.roadmapPreview', file(name, bytes));
    expect(changeCount()).toBe(before);
    return message;
  };

  it('damaged, password-protected, wrong kind, too big, no recognisable header', async () => {
    const docx = await roadmapDocx();
    expect(await refused('обрыв.docx', docx.subarray(0, Math.floor(docx.length / 2)))).toMatch(/^Файл «обрыв\.docx» повреждён/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(600)]);
    expect(await refused('пароль.docx', ole)).toMatch(/защищён паролем/);
    expect(await refused('скан.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatch(/не документ Word/);
    expect(await refused('архив.docx', zipSync({ 'readme.txt': new TextEncoder().encode('привет') }))).toMatch(/не документ Word/);
    expect(await refused('большой.docx', Buffer.alloc(50 * 1024 * 1024, 1))).toMatch(/50,0 МБ/);
    expect(await refused('список.docx', await otherTableDocx())).toBe(
      'В файле «список.docx» не найдена таблица дорожной карты: ни в одной таблице нет строки заголовка со словами «Задача», «Мероприятие», «Сроки реализации», «Ответственные», «Показатели реализации». Проверьте, что таблица начинается с заголовка, или выберите другой файл.',
    );
  });
});

describe('municipal roadmap from Word (seed 004)', () => {
  it('sections, items, the item split across the page, report text and links for the stage the header names; a second import changes nothing', async () => {
    const preview = await ok('imports.muniPreview', file('МДК 2022.docx', await muniDocx()));
    expect(preview.reportHeader).toBe('Отчетная информация Второй этап');
    expect(preview.stageCode).toBe('M2');
    expect(preview.sections.map((s) => [s.title, s.items.map((i) => i.description)])).toEqual([
      ['Организационное сопровождение Проекта 500+', ['Посещение школ-участниц Проекта 500+ закрепленными кураторами', 'Подготовка отчета о реализации муниципальной дорожной карты']],
      ['Информационное сопровождение Проекта 500+', ['Организация участия школ в региональных вебинарах']],
    ]);
    const [i1, i2] = preview.sections[0]!.items;
    expect(i1).toMatchObject({ period_text: 'Август-ноябрь 2022', report_text: 'Графики посещения школ кураторами', report_links: ['https://disk.yandex.ru/i/Blmt1s8clBuahg'] });
    expect(i2!.indicator).toBe('Отчет о выполнении мероприятий\nразмещен на странице Проекта 500+ сайта Департамента образования');

    ensureReferenceData(ctx.store, [2022]);
    const muni = await ok('muni.get', { year: 2022 });
    const stage = muni.stages.find((s) => s.code === 'M2')!;
    const r = await ok('imports.muniCommit', { year: 2022, stage_id: stage.id, sections: preview.sections });
    expect(r).toEqual({ sections: { created: 2, updated: 0, unchanged: 0 }, items: { created: 3, updated: 0, unchanged: 0 }, reports: { created: 3, updated: 0, unchanged: 0 } });
    const after = await ok('muni.get', { year: 2022 });
    expect(after.sections[0]!.items[0]!.reports.map((x) => [x.text, x.links])).toEqual([['Графики посещения школ кураторами', 'https://disk.yandex.ru/i/Blmt1s8clBuahg']]);

    const before = changeCount();
    const again = await ok('imports.muniCommit', { year: 2022, stage_id: stage.id, sections: preview.sections });
    expect(again).toEqual({ sections: { created: 0, updated: 0, unchanged: 2 }, items: { created: 0, updated: 0, unchanged: 3 }, reports: { created: 0, updated: 0, unchanged: 3 } });
    expect(changeCount()).toBe(before);
  });
});
