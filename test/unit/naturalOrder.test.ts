import { describe, expect, it } from 'vitest';
import { naturalCompare, sortNatural } from '../../core/rules/naturalOrder';

describe('natural order of coded names', () => {
  it('puts numbers in numeric order, not character order', () => {
    expect(['РФ10', 'РФ1', 'РФ2'].sort(naturalCompare)).toEqual(['РФ1', 'РФ2', 'РФ10']);
    expect(sortNatural(['МБОУ СОШ № 10', 'МБОУ СОШ № 2', 'МБОУ СОШ № 1'], (s) => s)).toEqual(['МБОУ СОШ № 1', 'МБОУ СОШ № 2', 'МБОУ СОШ № 10']);
  });
  it('treats ё as е and ignores case', () => {
    expect(naturalCompare('Сёмин', 'семин')).toBe(0);
    expect(naturalCompare('Алексеев', 'борисов')).toBeLessThan(0);
  });
});

describe('one order in SQL and in code', () => {
  it('sorts by the natkey() function exactly as naturalCompare does', async () => {
    const { openStore } = await import('../../db/open');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natural-'));
    const store = openStore(path.join(dir, 'db.sqlite'));
    const names = ['Основная школа № 14', 'Средняя школа № 2', 'средняя школа № 10', 'Ёлкинская СОШ', 'Елизаветинская СОШ', 'МКОУ «Генухская СОШ»', 'РФ10', 'РФ2'];
    const fromSql = store.sqlite
      .prepare(`SELECT value FROM json_each(?) ORDER BY natkey(value)`)
      .pluck()
      .all(JSON.stringify(names));
    expect(fromSql).toEqual([...names].sort(naturalCompare));
    expect(sortNatural(names, (s) => s)).toEqual(fromSql);
    store.close();
  });
});
