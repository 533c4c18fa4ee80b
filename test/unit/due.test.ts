import { describe, expect, it } from 'vitest';
import { dueAt, dueReadingText, readDue } from '../../core/rules/due';

/** The verdict on a «Сроки» text at a date, for a programme ending on programmeEnd. */
const at = (text: string, date: string, programmeEnd: string | null = null) => dueAt(readDue(text), date, programmeEnd);

describe('the due rule reads «Сроки» as ФИОКО does', () => {
  it.each([
    ['12.05.2022', { kind: 'date', from: '2022-05-12', to: '2022-05-12' }],
    ['с 10.03.2021 по 02.04.2021', { kind: 'date', from: '2021-03-10', to: '2021-04-02' }],
    ['12.05.22', { kind: 'date', from: '2022-05-12', to: '2022-05-12' }],
    ['Май 2022', { kind: 'period', label: 'май 2022', from: '2022-05-01', to: '2022-05-31' }],
    ['IV квартал 2022', { kind: 'period', label: 'IV квартал 2022', from: '2022-10-01', to: '2022-12-31' }],
    ['2 кв. 2021 г.', { kind: 'period', label: 'II квартал 2021', from: '2021-04-01', to: '2021-06-30' }],
    ['Март–декабрь 2021', { kind: 'period', label: 'период «март–декабрь 2021»', from: '2021-03-01', to: '2021-12-31' }],
    ['сентябрь 2021 - май 2022', { kind: 'period', label: 'период «сентябрь 2021–май 2022»', from: '2021-09-01', to: '2022-05-31' }],
    ['2022 год', { kind: 'period', label: '2022 год', from: '2022-01-01', to: '2022-12-31' }],
    ['в течение 2022 года', { kind: 'period', label: '2022 год', from: '2022-01-01', to: '2022-12-31' }],
    ['в течение 2021/22 учебного года', { kind: 'period', label: '2021/22 учебный год', from: '2021-09-01', to: '2022-08-31' }],
    ['2021-2022 уч.г.', { kind: 'period', label: '2021/22 учебный год', from: '2021-09-01', to: '2022-08-31' }],
    ['первое полугодие 2022', { kind: 'period', label: 'период «1-е полугодие 2022»', from: '2022-01-01', to: '2022-06-30' }],
    ['в течение года', { kind: 'open' }],
    ['весь период реализации программы', { kind: 'open' }],
    ['постоянно', { kind: 'open' }],
    ['в течение учебного года', { kind: 'open' }],
    ['', { kind: 'open' }],
  ])('«%s»', (text, reading) => {
    expect(readDue(text)).toEqual(reading);
  });

  it('the measure\'s parsed dates win over its text', () => {
    expect(readDue('в течение года', '2022-03-01', '2022-03-31')).toEqual({ kind: 'date', from: '2022-03-01', to: '2022-03-31' });
    expect(readDue('', '2022-03-01', null)).toEqual({ kind: 'date', from: '2022-03-01', to: '2022-03-01' });
  });
});

describe('due at a reporting date, with a reason for the sheet', () => {
  it('a concrete date is due on that date, not the day before', () => {
    expect(at('12.05.2022', '2022-05-12')).toEqual({ due: true, state: 'due', by: '2022-05-12', reason: 'срок 12.05.2022 наступил' });
    expect(at('12.05.2022', '2022-05-11')).toMatchObject({ due: false, state: 'not_started', reason: 'срок 12.05.2022 ещё не наступил' });
    expect(at('с 10.03.2021 по 02.04.2021', '2021-03-20')).toMatchObject({ due: false, state: 'in_progress' });
  });

  it('«IV квартал 2022»: not due on 31.01.2021, «в работе» within, due once it has ended', () => {
    expect(at('IV квартал 2022', '2021-01-31')).toMatchObject({ due: false, state: 'not_started', reason: 'IV квартал 2022 ещё не начался (с 01.10.2022)' });
    expect(at('IV квартал 2022', '2022-10-01')).toMatchObject({ due: false, state: 'in_progress', reason: 'IV квартал 2022 идёт до 31.12.2022: в работе, ещё не подлежит выполнению' });
    expect(at('IV квартал 2022', '2022-12-30').due).toBe(false);
    expect(at('IV квартал 2022', '2022-12-31')).toEqual({ due: true, state: 'due', by: '2022-12-31', reason: 'IV квартал 2022 закончился 31.12.2022' });
  });

  it('named months, years and school years end on their last day', () => {
    expect(at('май 2022', '2022-05-31').due).toBe(true);
    expect(at('май 2022', '2022-05-30').due).toBe(false);
    expect(at('2022 год', '2022-12-31').reason).toBe('2022 год закончился 31.12.2022');
    expect(at('в течение 2021/22 учебного года', '2022-06-30').state).toBe('in_progress');
    expect(at('в течение 2021/22 учебного года', '2022-08-31').due).toBe(true);
  });

  it('no period at all: the programme\'s whole period, or the reporting date when the programme has no end', () => {
    expect(at('в течение года', '2021-01-31')).toEqual({ due: true, state: 'due', by: '2021-01-31', reason: 'без срока: считается на весь период программы' });
    expect(at('в течение года', '2022-06-30', '2022-12-31')).toMatchObject({ due: false, state: 'in_progress', by: '2022-12-31' });
    expect(at('весь период реализации программы', '2023-01-01', '2022-12-31')).toMatchObject({ due: true, reason: 'без срока: считается на весь период программы (до 31.12.2022)' });
  });
});

describe('the roadmap editor says how the expertise will read a vague term', () => {
  it.each([
    ['IV квартал 2022', 'В плане экспертизы мероприятие подлежит выполнению по окончании срока: IV квартал 2022, 31.12.2022; до этого оно «в работе».'],
    ['постоянно', 'В плане экспертизы срок без периода считается на весь период программы: мероприятие подлежит выполнению по её окончании.'],
  ])('«%s»', (text, line) => {
    expect(dueReadingText(readDue(text))).toBe(line);
  });
});
