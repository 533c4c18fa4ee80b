/**
 * The roadmap reader on tables as seed 003 prints them (pure: no file, no database): the
 * second template variant («№ · Задача · Мероприятия/ антирисковые меры · Сроки ·
 * Ответственные · Результаты») with a stage heading row and tasks written once above
 * empty cells, and a measure Word split across a page.
 */
import { describe, expect, it } from 'vitest';
import { readRoadmaps } from '../../core/import/roadmap';
import { stripNumbering } from '../../core/import/tableHeader';
import type { SourceTable } from '../../core/import/sourceTable';

const table = (rows: string[][]): SourceTable => ({ rows: rows.map((r) => r.map((text) => ({ text, links: [], mergedFromAbove: false }))), headerRows: 0 });

describe('roadmap tables as seed 003 prints them', () => {
  it('the second variant: «Этап I» skipped, a task written once applies to the empty cells below it, «Результаты» as the indicator', () => {
    const [t] = readRoadmaps([
      table([
        ['№', 'Задача', 'Мероприятия/ антирисковые меры', 'Сроки', 'Ответственные', 'Результаты'],
        ['Этап I', '', '', '', '', ''],
        ['1', 'Повышение профессионального развития', 'Диагностика профессиональных дефицитов', 'Апрель-май, 2022 год', 'Администрация школы', 'Прохождение КПК'],
        ['', '', 'Оказание адресной психолого-педагогической помощи', 'Март - май, 2022 год', 'Администрация школы, психолог', 'Программа «Скажи стрессу НЕТ»'],
        ['2', 'Формирование системы мероприятий', 'Внедрение технологии формирующего оценивания', '20.04.2022', 'МО учителей-предметников', 'Выступление на МО'],
      ]),
    ]);
    expect(t!.columns).toEqual(['Задача', 'Мероприятие', 'Сроки', 'Ответственные', 'Показатели реализации']);
    expect(t!.measures.map((m) => [m.task, m.title, m.indicator, m.date_vague])).toEqual([
      ['Повышение профессионального развития', 'Диагностика профессиональных дефицитов', 'Прохождение КПК', true],
      ['Повышение профессионального развития', 'Оказание адресной психолого-педагогической помощи', 'Программа «Скажи стрессу НЕТ»', true],
      ['Формирование системы мероприятий', 'Внедрение технологии формирующего оценивания', 'Выступление на МО', false],
    ]);
    expect(t!.skipped).toEqual([{ row: 2, reason: 'нет мероприятия: «Этап I»' }]);
  });

  it('a measure split across a page: the row without a measure continues the one above', () => {
    const [t] = readRoadmaps([
      table([
        ['Задача', 'Мероприятие', 'Сроки реализации', 'Показатели реализации', 'Подтверждающие документы'],
        ['Создать условия', 'Консультирование родителей', '12.05.2022', '100% родителей,', 'Справка https://disk.yandex.ru/i/a'],
        ['', '', '', 'изъявивших желание, получили консультацию', 'Протокол https://disk.yandex.ru/i/b'],
      ]),
    ]);
    expect(t!.measures).toHaveLength(1);
    expect(t!.measures[0]!.indicator).toBe('100% родителей,\nизъявивших желание, получили консультацию');
    expect(t!.measures[0]!.evidence.map((e) => [e.title, e.url])).toEqual([
      ['Справка', 'https://disk.yandex.ru/i/a'],
      ['Протокол', 'https://disk.yandex.ru/i/b'],
    ]);
  });

  it('numbering typed by hand is stripped, a date at the start is not', () => {
    expect(['1. Создать', '1.1 Провести', '1.2.3. Провести', '2) Провести', 'IV. Раздел', '12.05.2022 совещание'].map(stripNumbering)).toEqual([
      'Создать',
      'Провести',
      'Провести',
      'Провести',
      'Раздел',
      '12.05.2022 совещание',
    ]);
  });
});
