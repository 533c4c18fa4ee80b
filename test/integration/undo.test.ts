/**
 * The undo history over the write layer (core/undo): each call that writes is one step;
 * undo and redo write through db/write.ts (logged, synced); a step whose fields another
 * device changed since is refused with the reason, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChange } from '../../core/sync/apply';
import { recordingUndo } from '../../core/undo/history';
import { packHlc, parseHlc } from '../../db/hlc';
import { insertRow, updateRow } from '../../db/write';
import { openTestCore, type TestCore } from './coreFixture';

let t: TestCore;
let programmeId: string;
let taskId: string;
const store = () => t.core.ctx.store;

const measure = (id: string) => store().sqlite.prepare('SELECT title, date_text, date_to, status, deleted_at FROM measures WHERE id = ?').get(id) as {
  title: string;
  date_text: string;
  date_to: string | null;
  status: string;
  deleted_at: string | null;
};
const logLength = () => (store().sqlite.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n;

beforeAll(async () => {
  t = openTestCore();
  await t.ok('app.createDistrict', { region: 'Свердловская область', district: 'Каменск-Уральский городской округ' });
  const school = await t.ok('schools.create', { full_name: 'МАОУ «СОШ № 7»', short_name: 'СОШ № 7', kind: 'СОШ', is_participant: true, stage: 'forming' });
  programmeId = (await t.ok('programmes.create', { school_id: school.id, kind: 'concept', title: 'Концепция развития' })).id;
  taskId = (await t.ok('programmeTasks.create', { programme_id: programmeId, title: '1. Выявить дефициты' })).id;
});
afterAll(() => t.close());

describe('undo and redo', () => {
  it('takes back an edit and redoes it, each as a logged change named in the message', async () => {
    const m = await t.ok('measures.create', { programme_id: programmeId, task_id: taskId, title: 'Анкетирование педагогов', date_text: '12.05.2022' });
    await t.ok('measures.update', { id: m.id, patch: { date_text: 'в течение года' } });
    expect(measure(m.id).date_text).toBe('в течение года');

    const before = logLength();
    expect(await t.ok('app.undo', {})).toEqual({ done: true, message: 'Отменено: изменение срока мероприятия «Анкетирование педагогов».' });
    // The term and the dates parsed from it are back, written as a change like any edit.
    expect(measure(m.id)).toMatchObject({ date_text: '12.05.2022', date_to: '2022-05-12' });
    expect(logLength()).toBe(before + 1);

    expect(await t.ok('app.redo', {})).toEqual({ done: true, message: 'Возвращено: изменение срока мероприятия «Анкетирование педагогов».' });
    expect(measure(m.id).date_text).toBe('в течение года');
    expect(await t.ok('app.redo', {})).toEqual({ done: false, message: 'Нечего возвращать.' });

    // Undo, redo, undo again: the clocks an undo leaves still match the steps below it.
    await t.ok('app.undo', {});
    await t.ok('app.redo', {});
    await t.ok('app.undo', {});
    expect(measure(m.id).date_text).toBe('12.05.2022');
    expect(await t.ok('app.undo', {})).toMatchObject({ message: 'Отменено: добавление мероприятия «Анкетирование педагогов».' });
    expect(measure(m.id).deleted_at).not.toBeNull();
    await t.ok('app.redo', {});
    expect(measure(m.id).deleted_at).toBeNull();
  });

  it('undoes a delete by restoring the row, and a new edit clears what could be redone', async () => {
    const m = await t.ok('measures.create', { programme_id: programmeId, task_id: taskId, title: 'Посещение уроков' });
    const deleted = await t.call('measures.delete', { id: m.id });
    const step = deleted.ok ? deleted.step : undefined;
    expect(step).toBeGreaterThan(0);
    // The deletion toast's «Отменить» takes back that step and no other.
    expect(await t.ok('app.undo', { step })).toMatchObject({ message: 'Отменено: удаление мероприятия «Посещение уроков».' });
    expect(await t.call('app.undo', { step })).toMatchObject({ ok: false, error: { code: 'undo_not_last' } });
    expect(measure(m.id).deleted_at).toBeNull();
    await t.ok('measures.update', { id: m.id, patch: { status: 'done' } });
    expect(await t.ok('app.redo', {})).toEqual({ done: false, message: 'Нечего возвращать.' });
    expect(await t.ok('app.undo', {})).toMatchObject({ message: 'Отменено: изменение статуса мероприятия «Посещение уроков».' });
    expect(measure(m.id).status).toBe('planned');
  });

  it('a call that wrote many rows (an import) is one step', async () => {
    const s = store();
    const ids = recordingUndo(s, 'test.import', () =>
      s.tx(() => {
        const task = insertRow(s, 'programme_tasks', { programme_id: programmeId, title: '2. Вовлечь родителей', position: 2 });
        const made = ['Родительское собрание', 'Консультации психолога', 'Открытый урок'].map((title, i) =>
          insertRow(s, 'measures', { programme_id: programmeId, task_id: task.id, position: i + 1, title, date_text: '', unplanned: 0, status: 'planned' }),
        );
        updateRow(s, 'programme_tasks', taskId, { title: '1. Выявить дефициты педагогов' });
        return [task.id, ...made.map((m) => m.id)];
      }),
    );
    const live = (table: 'measures' | 'programme_tasks', id: string) => (s.sqlite.prepare(`SELECT deleted_at FROM ${table} WHERE id = ?`).get(id) as { deleted_at: string | null }).deleted_at === null;
    const out = await t.ok('app.undo', {});
    expect(out.message).toBe('Отменено: добавление задачи «2. Вовлечь родителей» (записей: 5).');
    expect(ids.map((id, i) => live(i === 0 ? 'programme_tasks' : 'measures', id))).toEqual([false, false, false, false]);
    expect((s.sqlite.prepare('SELECT title FROM programme_tasks WHERE id = ?').get(taskId) as { title: string }).title).toBe('1. Выявить дефициты');
    await t.ok('app.redo', {});
    expect(ids.map((id, i) => live(i === 0 ? 'programme_tasks' : 'measures', id))).toEqual([true, true, true, true]);
    expect((s.sqlite.prepare('SELECT title FROM programme_tasks WHERE id = ?').get(taskId) as { title: string }).title).toBe('1. Выявить дефициты педагогов');
  });

  it('refuses to undo a field another device changed since, says so and writes nothing', async () => {
    const m = await t.ok('measures.create', { programme_id: programmeId, task_id: taskId, title: 'Диагностика обучающихся', date_text: '12.05.2022' });
    await t.ok('measures.update', { id: m.id, patch: { date_text: '20.05.2022' } });
    const s = store();
    const local = (s.sqlite.prepare("SELECT hlc FROM field_clocks WHERE tbl = 'measures' AND row_id = ? AND col = 'date_text'").get(m.id) as { hlc: string }).hlc;
    const other = '0190b000-0000-7000-8000-0000000000aa';
    const h = parseHlc(local)!;
    // Another curator's later edit of the term, which had seen ours, arrives by sync.
    s.tx(() => applyChange(s, { d: other, q: 1, h: packHlc({ ms: h.ms + 1000, counter: 0, device: other }), t: 'measures', r: m.id, v: { date_text: 'в течение года' }, m: { b: { date_text: [local] } } }));
    expect(measure(m.id).date_text).toBe('в течение года');

    const before = logLength();
    const r = await t.call('app.undo', {});
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'undo_conflict',
        message: 'Не отменено: изменение срока мероприятия «Диагностика обучающихся». Данные мероприятия «Диагностика обучающихся» с тех пор изменены на другом устройстве; они оставлены как есть.',
      },
    });
    expect(measure(m.id).date_text).toBe('в течение года');
    expect(logLength()).toBe(before);
    // The refused step is dropped; the step below it (the measure added with that term) is refused too.
    const next = await t.call('app.undo', {});
    expect(next.ok ? null : next.error.message).toMatch(/^Не отменено: добавление мероприятия «Диагностика обучающихся»\. /);
    expect(measure(m.id).deleted_at).toBeNull();
  });
});
