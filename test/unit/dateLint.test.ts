import { describe, expect, it } from 'vitest';
import { isConcreteDate, lintDate, type DateLintCode } from '../../core/rules/dateLint';

const codeOf = (text: string): DateLintCode | null => lintDate(text).issue?.code ?? null;

describe('date lint: concrete dates are accepted and parsed', () => {
  it.each([
    ['12.05.2022', '2022-05-12', '2022-05-12'],
    ['1.5.2022', '2022-05-01', '2022-05-01'],
    ['12.05.2022 г.', '2022-05-12', '2022-05-12'],
    ['12.05.2022г', '2022-05-12', '2022-05-12'],
    ['  12.05.2022  ', '2022-05-12', '2022-05-12'],
    ['12 мая 2022', '2022-05-12', '2022-05-12'],
    ['12 мая 2022 года', '2022-05-12', '2022-05-12'],
    ['29.02.2024', '2024-02-29', '2024-02-29'],
    ['с 10.03.2021 по 02.04.2021', '2021-03-10', '2021-04-02'],
    ['С 10.03.2021 ПО 02.04.2021', '2021-03-10', '2021-04-02'],
    ['10.03.2021 - 02.04.2021', '2021-03-10', '2021-04-02'],
    ['10.03.2021-02.04.2021', '2021-03-10', '2021-04-02'],
    ['10.03.2021 – 02.04.2021', '2021-03-10', '2021-04-02'],
    ['10.03.2021 — 02.04.2021', '2021-03-10', '2021-04-02'],
    ['с 10 марта по 2 апреля 2021 г.', '2021-03-10', '2021-04-02'],
    ['10-12.05.2022', '2022-05-10', '2022-05-12'],
    ['12.05.2022, 19.05.2022 и 26.05.2022', '2022-05-12', '2022-05-26'],
  ])('«%s» → %s…%s', (text, from, to) => {
    const r = lintDate(text);
    expect(r.issue).toBeNull();
    expect(r.concrete).toBe(true);
    expect(r.date_from).toBe(from);
    expect(r.date_to).toBe(to);
  });

  it('a deadline «до ДД.ММ.ГГГГ» is an exact date with no start', () => {
    const r = lintDate('До 20.08.2021');
    expect(r).toMatchObject({ concrete: true, date_from: null, date_to: '2021-08-20' });
    expect(lintDate('до 15 апреля 2021 г.')).toMatchObject({ concrete: true, date_to: '2021-04-15' });
    expect(isConcreteDate('не позднее 25.05.2022')).toBe(true);
  });
});

describe('date lint: every vague phrase from ФИОКО’s expertise is flagged with a reason and a fix', () => {
  it.each<[string, DateLintCode]>([
    ['в течение года', 'during_year'],
    ['В течение года', 'during_year'],
    ['В  ТЕЧЕНИЕ   ГОДА', 'during_year'],
    ['в течение 2022 года', 'during_year'],
    ['в течение 2022 г.', 'during_year'],
    ['до конца года', 'during_year'],
    ['весь период реализации программы', 'whole_period'],
    ['Весь период', 'whole_period'],
    ['в течение всего периода', 'whole_period'],
    ['в период реализации АРП', 'whole_period'],
    ['на протяжении программы', 'whole_period'],
    ['первое полугодие', 'half_year'],
    ['Первое полугодие 2022', 'half_year'],
    ['1 полугодие', 'half_year'],
    ['I полугодие', 'half_year'],
    ['во втором полугодии', 'half_year'],
    ['в течение учебного года', 'school_year'],
    ['В течение 2022-2023 учебного года', 'school_year'],
    ['2022-2023 уч. год', 'school_year'],
    ['постоянно', 'continuous'],
    ['Постоянно.', 'continuous'],
    ['систематически', 'continuous'],
    ['ежемесячно', 'continuous'],
    ['в течение месяца', 'continuous'],
    ['12.05.2022 и далее постоянно', 'continuous'],
    ['по мере необходимости', 'as_needed'],
    ['По мере  необходимости', 'as_needed'],
    ['по запросу', 'as_needed'],
    ['согласно дорожной карте', 'per_plan'],
    ['Согласно плану работы', 'per_plan'],
    ['в соответствии с графиком', 'per_plan'],
    ['I квартал 2022', 'quarter'],
    ['в конце четверти', 'term'],
    ['осень 2021', 'season'],
    ['Март-декабрь 2021', 'month_range'],
    ['Март - декабрь 2021 г.', 'month_range'],
    ['Апрель - май, 2022 год', 'month_range'],
    ['Май-ноябрь', 'month_range'],
    ['Март, сентябрь 2021', 'month_range'],
    ['март 2021', 'month'],
    ['Май 2022', 'month'],
    ['в мае', 'month'],
    ['Сент. 2022', 'month'],
    ['2022', 'year'],
    ['2022 год', 'year'],
    ['2021-2023 гг.', 'year'],
  ])('«%s» → %s', (text, code) => {
    const r = lintDate(text);
    expect(r.concrete).toBe(false);
    expect(r.date_from).toBeNull();
    expect(r.date_to).toBeNull();
    expect(r.issue?.code).toBe(code);
    expect(r.issue!.reason.length).toBeGreaterThan(10);
    expect(r.issue!.suggestion).toMatch(/\d\d\.\d\d\.\d{4}/);
  });

  it('quotes the vague fragment as found', () => {
    expect(lintDate('Мероприятие пройдёт в течение года').issue?.fragment).toBe('в течение года');
    expect(lintDate('Март-декабрь 2021').issue?.fragment).toBe('март-декабрь');
  });

  it('suggests dates from the months and year that were typed', () => {
    expect(lintDate('Март-декабрь 2021').issue?.suggestion).toContain('с 01.03.2021 по 31.12.2021');
    expect(lintDate('февраль 2024').issue?.suggestion).toContain('по 29.02.2024');
    expect(lintDate('май').issue?.suggestion).toContain('.05.');
  });
});

describe('date lint: broken dates say what is wrong', () => {
  it.each<[string, DateLintCode]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['31.02.2022', 'invalid_date'],
    ['12.13.2022', 'invalid_date'],
    ['с 02.04.2021 по 10.03.2021', 'reversed_range'],
    ['12.05', 'no_year'],
    ['до 5 сентября', 'no_year'],
    ['12.05.22', 'two_digit_year'],
    ['скоро', 'unrecognised'],
    ['12/05/2022', 'unrecognised'],
  ])('«%s» → %s', (text, code) => {
    expect(codeOf(text)).toBe(code);
    expect(lintDate(text).concrete).toBe(false);
  });

  it('offers a replacement for a two-digit year', () => {
    expect(lintDate('12.05.22').issue?.replacement).toBe('12.05.2022');
  });

  it('null and undefined are an empty date', () => {
    expect(codeOf(null as unknown as string)).toBe('empty');
    expect(isConcreteDate(undefined)).toBe(false);
  });
});

describe('date lint: near-misses that are fine are not flagged', () => {
  it.each(['12.05.2022', 'с 10.03.2021 по 02.04.2021', '10.03.2021 - 02.04.2021', '01.09.2022', '31.12.2021', '25 мая 2021 г.'])('«%s» is concrete', (text) => {
    expect(codeOf(text)).toBeNull();
  });

  it('a word that merely contains a month stem is not a month', () => {
    // «марта» inside «Смартфон», «май» inside «Майский» must not count as months.
    expect(codeOf('Смартфон')).toBe('unrecognised');
    expect(codeOf('Майский')).toBe('unrecognised');
  });
});
