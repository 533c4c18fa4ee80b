/**
 * The app's log file: rotated by size with a bounded number of files, and what reaches it —
 * a screen that failed to render (app.reportError), an internal error of a call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_LIMITS } from '../../core/contract/app';
import { handlers } from '../../core/handlers';
import { fileLog, logPath } from '../../core/log.node';
import { failureReport, failureText } from '../../renderer/src/components/failureReport';
import { openTestCore, type TestCore } from '../integration/coreFixture';

const dirs: string[] = [];
const cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-log-'));
  dirs.push(d);
  return d;
}

const lines = (file: string): { message: string; source: string; level: string; time: string; details?: Record<string, string> }[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

describe('log rotation', () => {
  it('moves the file aside before it would pass the limit and keeps only the newest files', () => {
    const dir = tempDir();
    const log = fileLog(dir, { maxBytes: 400, files: 3 });
    for (let i = 0; i < 40; i++) log({ level: 'error', source: 'test', message: `запись ${String(i).padStart(2, '0')}` });

    const file = logPath(dir);
    expect(file).toBe(path.join(dir, 'logs', 'app.log'));
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(fs.statSync(f).size).toBeLessThanOrEqual(400);

    // Newest last in app.log, older ones in .1 then .2, nothing lost between the kept files.
    const kept = [...lines(`${file}.2`), ...lines(`${file}.1`), ...lines(file)].map((e) => Number(e.message.slice(-2)));
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 40 - kept.length + i));
    expect(kept[0]).toBeGreaterThan(0); // the oldest went with the dropped file
  });

  it('a log it cannot write does not throw', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'logs'), 'a file where the folder should be');
    const log = fileLog(dir);
    expect(() => log({ level: 'error', source: 'test', message: 'не записано' })).not.toThrow();
  });
});

describe('what reaches the log', () => {
  it('a screen failure reported by the renderer, with its details', async () => {
    const c = openTestCore();
    cores.push(c);
    const error = new TypeError("Cannot read properties of undefined (reading 'rows')");
    const report = failureReport(error, '\n    at SchoolList\n    at Screen', '/schools', '0.1.0');
    expect(await c.ok('app.reportError', report)).toBeNull();

    const [entry] = lines(logPath(c.dir));
    expect(entry).toMatchObject({ level: 'error', source: 'renderer', message: "TypeError: Cannot read properties of undefined (reading 'rows')" });
    expect(entry!.details).toMatchObject({ route: '/schools', appVersion: '0.1.0', componentStack: 'at SchoolList\n    at Screen' });
    expect(entry!.details!.stack).toContain('TypeError');
    expect(Date.parse(entry!.time)).not.toBeNaN();
  });

  it('an internal error of a call, with its stack; the user gets the Russian message', async () => {
    const c = openTestCore();
    cores.push(c);
    const original = handlers['trash.list'];
    handlers['trash.list'] = () => {
      throw new RangeError('сбой для проверки журнала');
    };
    try {
      const r = await c.call('trash.list', {});
      expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Внутренняя ошибка: действие не выполнено, данные не изменены.' } });
    } finally {
      handlers['trash.list'] = original;
    }
    const [entry] = lines(logPath(c.dir));
    expect(entry).toMatchObject({ level: 'error', source: 'dispatch trash.list', message: 'сбой для проверки журнала' });
    expect(entry!.details!.stack).toContain('RangeError');
  });

  it('a report cut to what the contract accepts, and the text «Скопировать подробности» copies', async () => {
    const long = new Error('x'.repeat(REPORT_LIMITS.message * 2));
    const report = failureReport(long, 'at Screen', '/visits/new', '0.1.0');
    expect(report.message.length).toBe(REPORT_LIMITS.message);
    const c = openTestCore();
    cores.push(c);
    expect((await c.call('app.reportError', report)).ok).toBe(true);

    const text = failureText(failureReport(new Error('нет данных'), 'at VisitForm', '/visits/new', '0.1.0'));
    expect(text).toContain('Экран: /visits/new');
    expect(text).toContain('Версия: 0.1.0');
    expect(text.match(/Error: нет данных/g)).toHaveLength(1);
    expect(text).toContain('at VisitForm');
    expect(failureReport('строка', '', '', '').message).toBe('Error: строка');
  });
});
