/** The XLSX page layout: wrapped lines from text and column width, the row height, the orientation. */
import { describe, expect, it } from 'vitest';
import { columnLetter, orientationOf, rowHeight, wrappedLines } from '../../core/reports/sheetLayout';

describe('wrappedLines', () => {
  it('counts a short text as one line and breaks at spaces when the column is full', () => {
    expect(wrappedLines('Школа № 2', 20)).toBe(1);
    // 20 units hold 17 characters: «аааааааа аааааааа» fits, a third word starts a second line.
    expect(wrappedLines('аааааааа аааааааа', 20)).toBe(1);
    expect(wrappedLines('аааааааа аааааааа аааа', 20)).toBe(2);
  });

  it('counts each new line in the cell and splits a word longer than the column', () => {
    expect(wrappedLines('первая\nвторая\n\nчетвёртая', 20)).toBe(4);
    expect(wrappedLines('https://disk.yandex.ru/i/1MgWL8EyK5Nipw', 10)).toBe(5);
  });

  it('gives bold or larger type fewer characters a line', () => {
    expect(wrappedLines('аааааааа аааааааа', 20, 1.2)).toBe(2);
  });
});

describe('rowHeight', () => {
  const columns = [
    { header: 'Школа', width: 10 },
    { header: 'Комментарий', width: 20 },
  ];
  it('is the default 15 pt line (plus padding) for a row of short values and grows with the tallest cell', () => {
    expect(rowHeight(['Школа', 5], columns)).toBe(17);
    expect(rowHeight(['Школа', 'аааааааа аааааааа аааа аааа аааааааа'], columns)).toBe(3 * 15 + 2);
  });

  it('stops at the largest height Excel allows', () => {
    expect(rowHeight(['а '.repeat(2000), null], columns)).toBe(409);
  });
});

it('lays a sheet wider than a portrait page in landscape, and names columns as Excel does', () => {
  expect(orientationOf([{ header: 'a', width: 44 }, { header: 'b', width: 40 }])).toBe('portrait');
  expect(orientationOf([{ header: 'a', width: 70 }, { header: 'b', width: 44 }])).toBe('landscape');
  expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
});
