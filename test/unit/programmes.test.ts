import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../core/contract';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { referenceId } from '../../core/reference';
import { openStore } from '../../db/open';
import { installWriteGuard } from '../../core/accounts/writeGuard';

let ctx: Ctx;
let events: string[][];

async function ok<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await dispatch(ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as OutputOf<N>;
}

/** A call with input the contract does not describe (a forged "who" field): dispatch must refuse it. */
const dispatchUnchecked = (name: CallName, input: Record<string, unknown>) => dispatch(ctx, name, input);

async function fail<N extends CallName>(name: N, input: InputOf<N>) {
  const r = await dispatch(ctx, name, input);
  if (r.ok) throw new Error(`${name} should have failed`);
  return r.error;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const factor = (code: string) => referenceId('risk_factor', `2021:${code}`);

let schoolId: string;

beforeEach(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-prog-'));
  events = [];
  ctx = { store: openStore(':memory:'), dataDir, emit: (e) => e.type === 'data.changed' && events.push(e.tables) };
  // As on a signed-in laptop: every write also passes the permissions rule the hub runs.
  installWriteGuard(ctx.store);
  await ok('app.createDistrict', { region: 'Ярославская область', district: 'Даниловский МР' });
  const school = await ok('schools.create', {
    full_name: 'МБОУ Макаровская СОШ',
    short_name: 'Макаровская СОШ',
    kind: 'СОШ',
    is_participant: true,
    stage: 'implementing',
  });
  schoolId = school.id;
  await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ8'), level: 'high', activated: true, verified: true });
  await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ3'), level: 'medium', activated: true, verified: false });
  await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ1'), level: 'low', activated: false, verified: false });
});

afterEach(() => {
  ctx.store.close();
  fs.rmSync(ctx.dataDir, { recursive: true, force: true });
});

describe('programmes: one АРП per activated risk factor', () => {
  it('offers the missing АРП for activated factors only, creates them once, refuses a duplicate', async () => {
    const before = await ok('programmes.forSchool', { school_id: schoolId });
    expect(before.missingArps.map((f) => f.code).sort()).toEqual(['РФ3', 'РФ8']);
    const created = await ok('programmes.createMissingArps', { school_id: schoolId });
    expect(created).toHaveLength(2);
    expect(created[0]!.title).toMatch(/^Антирисковая программа «/);
    expect((await ok('programmes.forSchool', { school_id: schoolId })).missingArps).toEqual([]);
    expect(await ok('programmes.createMissingArps', { school_id: schoolId })).toEqual([]);
    const dup = await fail('programmes.create', { school_id: schoolId, kind: 'arp', risk_factor_id: factor('РФ8'), title: 'Ещё одна' });
    expect(dup.fields?.risk_factor_id).toContain('уже есть АРП');
  });

  it('an АРП needs a risk factor; the period cannot end before it starts', async () => {
    const e = await fail('programmes.create', { school_id: schoolId, kind: 'arp', title: 'АРП' });
    expect(e.fields?.risk_factor_id).toBeTruthy();
    const e2 = await fail('programmes.create', { school_id: schoolId, kind: 'concept', title: 'Концепция', period_from: '2022-09-01', period_to: '2022-01-01' });
    expect(e2.fields?.period_to).toBe('Окончание раньше начала');
    const e3 = await fail('programmes.create', { school_id: schoolId, kind: 'midterm', title: '  ' });
    expect(e3.fields?.title).toBe('Заполните поле');
  });
});

describe('roadmap: measures under tasks, dates parsed by the date lint', () => {
  it('stores «Сроки» verbatim, parses concrete dates, leaves vague ones unparsed and counts them', async () => {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'arp', risk_factor_id: factor('РФ8'), title: 'АРП' });
    const t1 = await ok('programmeTasks.create', { programme_id: p.id, title: '1. Создать условия для адаптации' });
    const t2 = await ok('programmeTasks.create', { programme_id: p.id, title: '2. Повысить мотивацию' });
    const a = await ok('measures.create', { programme_id: p.id, task_id: t1.id, title: 'Диагностика', date_text: 'с 10.03.2021 по 02.04.2021' });
    expect([a.date_from, a.date_to]).toEqual(['2021-03-10', '2021-04-02']);
    const b = await ok('measures.create', { programme_id: p.id, task_id: t2.id, title: 'Консультации', date_text: 'в течение года' });
    expect([b.date_from, b.date_to]).toEqual([null, null]);
    // Inserted right under «a», within task 1, before anything later in that task.
    const c = await ok('measures.create', { programme_id: p.id, task_id: t1.id, title: 'Собеседование', date_text: '', after_id: a.id });
    const d = await ok('measures.create', { programme_id: p.id, task_id: t1.id, title: 'Между', after_id: a.id });

    const detail = await ok('programmes.get', { id: p.id });
    expect(detail.measures.map((m) => m.title)).toEqual(['Диагностика', 'Между', 'Собеседование', 'Консультации']);
    expect(detail.tasks.map((t) => t.id)).toEqual([t1.id, t2.id]);

    const updated = await ok('measures.update', { id: b.id, patch: { date_text: '12.05.2022' } });
    expect(updated.date_to).toBe('2022-05-12');
    const back = await ok('measures.update', { id: b.id, patch: { date_text: 'Март-декабрь 2021' } });
    expect(back.date_to).toBeNull();
    expect(back.date_text).toBe('Март-декабрь 2021');

    const summary = (await ok('programmes.forSchool', { school_id: schoolId })).programmes.find((x) => x.id === p.id)!;
    expect(summary).toMatchObject({ tasks: 2, measures: 4, vague: 3 });
    expect(c.id).not.toBe(d.id);
  });

  it('one cell edit writes one field (plus the parsed dates) and says which table changed', async () => {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'midterm', title: 'Среднесрочная программа' });
    const m = await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Педсовет', date_text: '12.05.2022' });
    events = [];
    await ok('measures.update', { id: m.id, patch: { responsible: 'Заместитель директора по УВР' } });
    expect(events).toEqual([['measures']]);
    const last = ctx.store.sqlite.prepare("SELECT data FROM changes WHERE tbl = 'measures' ORDER BY device_seq DESC LIMIT 1").get() as { data: string };
    expect(Object.keys(JSON.parse(last.data)).sort()).toEqual(['responsible', 'updated_at']);
  });

  it('refuses an empty title on edit, a task of another programme, and a task that still has measures', async () => {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'concept', title: 'Концепция' });
    const q = await ok('programmes.create', { school_id: schoolId, kind: 'midterm', title: 'Среднесрочная' });
    const t = await ok('programmeTasks.create', { programme_id: p.id, title: 'Задача' });
    const tq = await ok('programmeTasks.create', { programme_id: q.id, title: 'Чужая' });
    const m = await ok('measures.create', { programme_id: p.id, task_id: t.id, title: 'М' });
    expect((await fail('measures.update', { id: m.id, patch: { title: ' ' } })).fields?.['patch.title']).toBe('Заполните поле');
    expect((await fail('measures.update', { id: m.id, patch: { task_id: tq.id } })).fields?.task_id).toBeTruthy();
    expect((await fail('programmeTasks.delete', { id: t.id })).message).toContain('1 мероприятие');
  });

  it('deleting goes to the trash and can be undone; a deleted programme hides its measures', async () => {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'concept', title: 'Концепция' });
    const m = await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Педсовет', date_text: '12.05.2022', status: 'planned' });
    await ok('measures.delete', { id: m.id });
    expect((await ok('programmes.get', { id: p.id })).measures).toEqual([]);
    expect((await ok('trash.list', {})).map((i) => i.id)).toContain(m.id);
    await ok('trash.restore', { table: 'measures', id: m.id });
    expect((await ok('programmes.get', { id: p.id })).measures).toHaveLength(1);

    await ok('programmes.delete', { id: p.id });
    expect((await ok('measures.byStatusDue', { status: 'planned' })).map((r) => r.id)).not.toContain(m.id);
    expect((await fail('programmes.get', { id: p.id })).code).toBe('not_found');
    await ok('trash.restore', { table: 'programmes', id: p.id });
    expect((await ok('measures.byStatusDue', { status: 'planned', due_to: '2022-12-31' })).map((r) => r.id)).toEqual([m.id]);
  });

  it('lists measures by status and due date across schools', async () => {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'concept', title: 'Концепция' });
    await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Поздно', date_text: '01.06.2022' });
    await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Рано', date_text: '01.03.2022' });
    await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Сделано', date_text: '01.04.2022', status: 'done' });
    await ok('measures.create', { programme_id: p.id, task_id: null, title: 'Без даты', date_text: 'постоянно' });
    const rows = await ok('measures.byStatusDue', { status: 'planned', due_to: '2022-05-25' });
    expect(rows.map((r) => r.title)).toEqual(['Рано']);
    expect(rows[0]!.school_name).toBe('Макаровская СОШ');
  });
});

describe('evidence: files by SHA-256, links, the curator’s verdict with history', () => {
  async function measure() {
    const p = await ok('programmes.create', { school_id: schoolId, kind: 'concept', title: 'Концепция' });
    return ok('measures.create', { programme_id: p.id, task_id: null, title: 'Педсовет', date_text: '12.05.2022' });
  }

  it('attaches a file once by hash, lists and downloads it', async () => {
    const m = await measure();
    const e1 = await ok('evidence.add', { measure_id: m.id, title: 'Протокол', kind: 'Протокол', file: { name: 'протокол.txt', mime: 'text/plain', data: b64('Протокол № 3') } });
    await ok('evidence.add', { measure_id: m.id, title: 'Копия', kind: 'Протокол', file: { name: 'копия.txt', mime: 'text/plain', data: b64('Протокол № 3') } });
    expect(fs.readdirSync(path.join(ctx.dataDir, 'blobs'))).toEqual([e1.file_sha256]);
    const list = await ok('evidence.list', { measure_id: m.id });
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ verdict: 'pending', file_present: true, file_size: Buffer.byteLength('Протокол № 3') });
    expect(list[0]!.history.map((h) => h.verdict)).toEqual(['pending']);
    const dl = await ok('evidence.download', { id: e1.id });
    expect(Buffer.from(dl.data, 'base64').toString()).toBe('Протокол № 3');
    expect(dl.name).toBe('протокол.txt');
  });

  it('needs a file or a link; a link must be http(s)', async () => {
    const m = await measure();
    expect((await fail('evidence.add', { measure_id: m.id, title: 'Справка', kind: 'Аналитическая справка' })).fields?.url).toBe('Прикрепите файл или укажите ссылку');
    expect((await fail('evidence.add', { measure_id: m.id, title: 'Справка', kind: 'Аналитическая справка', url: 'disk.yandex.ru/i/x' })).fields?.url).toContain('http');
    const e = await ok('evidence.add', { measure_id: m.id, title: 'Страница сайта', kind: 'Ссылка на страницу сайта', url: 'http://76308s025.edusite.ru/' });
    expect(e.file_sha256).toBeNull();
    expect((await fail('evidence.download', { id: e.id })).code).toBe('no_file');
  });

  it('a file too large is refused with a clear message and no row is written', async () => {
    const m = await measure();
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 1).toString('base64');
    const e = await fail('evidence.add', { measure_id: m.id, title: 'Скан', kind: 'Приказ', file: { name: 'скан.pdf', mime: 'application/pdf', data: big } });
    expect(e.code).toBe('file_too_large');
    expect(e.message).toContain('«скан.pdf» слишком большой');
    expect(await ok('evidence.list', { measure_id: m.id })).toEqual([]);
  });

  it('a vanished file: the record stays, it is marked absent, download says why', async () => {
    const m = await measure();
    const e = await ok('evidence.add', { measure_id: m.id, title: 'Фото', kind: 'Фото', file: { name: 'фото.jpg', mime: 'image/jpeg', data: b64('jpeg') } });
    fs.rmSync(path.join(ctx.dataDir, 'blobs', e.file_sha256!));
    const [row] = await ok('evidence.list', { measure_id: m.id });
    expect(row).toMatchObject({ id: e.id, file_present: false, title: 'Фото' });
    const err = await fail('evidence.download', { id: e.id });
    expect(err.code).toBe('file_missing');
    expect(err.message).toContain('«фото.jpg»');
  });

  /** A curator of the test school, signed in on the laptop. */
  async function signInCurator() {
    const curator = await ok('people.create', {
      last_name: 'Кожина', first_name: 'Христина', middle_name: 'Александровна', is_coordinator: false, is_curator: true, is_school_coordinator: false, is_director: false,
    } as InputOf<'people.create'>);
    await ok('assignments.create', { curator_id: curator.id, school_id: schoolId, date_from: '2021-01-01' });
    ctx.store.session = { accountId: 'account-kozhina', personId: curator.id, role: 'curator', name: 'Кожина Х.А.' };
    return curator;
  }

  it('verdicts: confirm; rework needs a comment; illegal moves refused; every verdict kept with who', async () => {
    const m = await measure();
    const e = await ok('evidence.add', { measure_id: m.id, title: 'Приказ', kind: 'Приказ', url: 'https://disk.yandex.ru/i/1' });
    const curator = await signInCurator();
    const noComment = await fail('evidence.setVerdict', { id: e.id, verdict: 'rework' });
    expect(noComment.fields?.comment).toContain('что нужно доработать');
    await ok('evidence.setVerdict', { id: e.id, verdict: 'rework', comment: 'Приказ говорит о намерении: приложите протокол' });
    await ok('evidence.setVerdict', { id: e.id, verdict: 'pending' });
    const confirmed = await ok('evidence.setVerdict', { id: e.id, verdict: 'confirmed' });
    expect(confirmed).toMatchObject({ verdict: 'confirmed', verdict_by: curator.id });
    expect((await fail('evidence.setVerdict', { id: e.id, verdict: 'pending' })).code).toBe('verdict');
    const [row] = await ok('evidence.list', { measure_id: m.id });
    // The first row was written before anyone signed in: no author, shown as «—».
    expect(row!.history.map((h) => [h.verdict, h.by_name])).toEqual([
      ['pending', null],
      ['rework', 'Кожина Х.А.'],
      ['pending', 'Кожина Х.А.'],
      ['confirmed', 'Кожина Х.А.'],
    ]);
    expect(row!.history[1]!.comment).toContain('протокол');
  });

  it('authorship comes from the session: the uploader, the verdict and the comment are the signed-in person, the input cannot name another', async () => {
    const m = await measure();
    const curator = await signInCurator();
    const e = await ok('evidence.add', { measure_id: m.id, title: 'Протокол', kind: 'Протокол', url: 'https://disk.yandex.ru/i/2' });
    expect(e.uploaded_by).toBe(curator.id);
    const [added] = await ok('evidence.list', { measure_id: m.id });
    expect(added!.history.map((h) => h.by_person_id)).toEqual([curator.id]);
    expect(added!.uploaded_by_name).toBe('Кожина Х.А.');

    const someoneElse = '0190a3b2-0000-7000-8000-000000000001';
    // The "who" fields are gone from the inputs: naming a person is refused, nothing written.
    const refused = { ok: false, error: { code: 'validation' } };
    expect(await dispatchUnchecked('evidence.setVerdict', { id: e.id, verdict: 'confirmed', by_person_id: someoneElse })).toMatchObject(refused);
    expect(await dispatchUnchecked('comments.add', { target_table: 'evidence', target_id: e.id, body: 'Подделка', author_id: someoneElse })).toMatchObject(refused);
    expect(await dispatchUnchecked('evidence.add', { measure_id: m.id, title: 'Ещё', kind: 'Протокол', url: 'https://disk.yandex.ru/i/3', uploaded_by: someoneElse })).toMatchObject(refused);

    const confirmed = await ok('evidence.setVerdict', { id: e.id, verdict: 'confirmed' });
    expect(confirmed.verdict_by).toBe(curator.id);
    const comment = await ok('comments.add', { target_table: 'evidence', target_id: e.id, body: 'Протокол подписан' });
    expect(comment.author_id).toBe(curator.id);
    const [thread] = await ok('comments.list', { target_table: 'evidence', target_id: e.id });
    expect(thread!.author_name).toBe('Кожина Х.А.');
    const [row] = await ok('evidence.list', { measure_id: m.id });
    expect(row).toMatchObject({ verdict_by_name: 'Кожина Х.А.', comments: 1 });
    expect(row!.history.map((h) => [h.verdict, h.by_name])).toEqual([
      ['pending', 'Кожина Х.А.'],
      ['confirmed', 'Кожина Х.А.'],
    ]);
  });

  it('with nobody signed in (a database from before accounts) the author is left empty', async () => {
    const m = await measure();
    const e = await ok('evidence.add', { measure_id: m.id, title: 'Приказ', kind: 'Приказ', url: 'https://disk.yandex.ru/i/4' });
    const confirmed = await ok('evidence.setVerdict', { id: e.id, verdict: 'confirmed' });
    const comment = await ok('comments.add', { target_table: 'measures', target_id: m.id, body: 'Без подписи' });
    expect([e.uploaded_by, confirmed.verdict_by, comment.author_id]).toEqual([null, null, null]);
  });

  it('comment threads on programmes, measures and evidence', async () => {
    const m = await measure();
    await ok('comments.add', { target_table: 'measures', target_id: m.id, body: 'Уточните дату собеседования' });
    await ok('comments.add', { target_table: 'measures', target_id: m.id, body: 'Уточнили: 12.05.2022' });
    const list = await ok('comments.list', { target_table: 'measures', target_id: m.id });
    expect(list.map((c) => c.body)).toEqual(['Уточните дату собеседования', 'Уточнили: 12.05.2022']);
    const detail = await ok('programmes.get', { id: m.programme_id });
    expect(detail.measures[0]!.comments).toBe(2);
    expect((await fail('comments.add', { target_table: 'evidence', target_id: m.id, body: 'x' })).code).toBe('not_found');
  });
});

describe('risk profiles: who verified them', () => {
  it('the signed-in person verifies, the mark keeps its author while it stays, taking it off clears both', async () => {
    const coordinator = await ok('people.create', {
      last_name: 'Главнова', first_name: 'Ирина', middle_name: 'Петровна', is_coordinator: true, is_curator: false, is_school_coordinator: false, is_director: false,
    } as InputOf<'people.create'>);
    const card = async () => (await ok('schools.get', { id: schoolId })).riskProfiles.find((r) => r.factor_code === 'РФ3')!;
    // Verified in beforeEach with nobody signed in: no author.
    expect((await ok('schools.get', { id: schoolId })).riskProfiles.find((r) => r.factor_code === 'РФ8')).toMatchObject({ verified: 1, verified_by: null });

    ctx.store.session = { accountId: 'account-glavnova', personId: coordinator.id, role: 'coordinator', name: 'Главнова И.П.' };
    await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ3'), level: 'medium', activated: true, verified: true });
    const verified = await card();
    expect(verified).toMatchObject({ verified: 1, verified_by: coordinator.id, verified_by_name: 'Главнова И.П.' });
    expect(verified.verified_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    ctx.store.session = { accountId: 'account-other', personId: '0190a3b2-0000-7000-8000-000000000002', role: 'coordinator', name: 'Другой' };
    await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ3'), level: 'high', activated: true, verified: true });
    expect(await card()).toMatchObject({ level: 'high', verified_by: coordinator.id, verified_at: verified.verified_at });

    await ok('riskProfiles.save', { school_id: schoolId, risk_factor_id: factor('РФ3'), level: 'high', activated: true, verified: false });
    expect(await card()).toMatchObject({ verified: 0, verified_by: null, verified_at: null, verified_by_name: null });
  });
});
