import { describe, expect, it } from 'vitest';
import { countOf, daysText, formatDate, orderLabel, parseRuDate, percentLabel, percentText, personShort, shownPercent } from '../../core/format';

describe('Russian formatting', () => {
  it('cites an order as documents do, «б/н» when it has no number', () => {
    expect(orderLabel({ number: '89', date: '2021-03-27' })).toBe('Приказ № 89 от 27.03.2021');
    expect(orderLabel({ number: 'б/н', date: '2021-03-15' })).toBe('Приказ б/н от 15.03.2021');
    expect(orderLabel({ number: ' — ', date: '2021-03-15' })).toBe('Приказ б/н от 15.03.2021');
  });

  it('writes names as «Фамилия И.О.», also from initials only', () => {
    expect(personShort({ last_name: 'Абдулаева', first_name: 'Нугейрат', middle_name: 'Алиевна' })).toBe('Абдулаева Н.А.');
    expect(personShort({ last_name: 'Маркова', first_name: 'И.', middle_name: 'В.' })).toBe('Маркова И.В.');
    expect(personShort({ last_name: 'Алиев', first_name: '', middle_name: null })).toBe('Алиев');
  });

  it('uses Russian plural forms', () => {
    expect(countOf(1, ['школа', 'школы', 'школ'])).toBe('1 школа');
    expect(countOf(3, ['школа', 'школы', 'школ'])).toBe('3 школы');
    expect(countOf(11, ['школа', 'школы', 'школ'])).toBe('11 школ');
    expect(countOf(21, ['школа', 'школы', 'школ'])).toBe('21 школа');
    expect([1, 2, 5, 11, 22].map(daysText)).toEqual(['1 день', '2 дня', '5 дней', '11 дней', '22 дня']);
  });

  it('reads and writes ДД.ММ.ГГГГ and refuses days that do not exist', () => {
    expect(formatDate('2022-05-12')).toBe('12.05.2022');
    expect(parseRuDate('1.3.2021')).toBe('2021-03-01');
    expect(parseRuDate('31.02.2024')).toBeNull();
  });
});

describe('percents for display', () => {
  it('round half up to a whole percent, as seed 003 prints (2 of 7 → 29%)', () => {
    expect(percentText(2, 7)).toBe('29%');
    expect(percentText(1, 8)).toBe('13%'); // 12,5%
    expect(percentText(1, 3)).toBe('33%');
    expect(percentText(2, 3)).toBe('67%');
    expect(percentText(0, 0)).toBe('0%');
  });

  it('show one decimal where the whole percent would fall in another band, cut toward the exact value if one decimal still would', () => {
    const atLeast75 = (p: number) => p >= 75;
    expect(percentText(373, 500, atLeast75)).toBe('74,6%');
    expect(percentText(3, 4, atLeast75)).toBe('75%');
    expect(shownPercent(2999, 4000, atLeast75)).toBe(74.9); // 74,975%: «75,0%» would cross too
    expect(shownPercent(7499, 10000, atLeast75)).toBe(74.9);
  });

  it('write the decimal comma', () => {
    expect(percentLabel(74.6)).toBe('74,6%');
    expect(percentLabel(100)).toBe('100%');
  });
});
