/** Strings of the roadmap imports (an АРП roadmap, the municipal roadmap) from Word and Excel. */
import { countOf } from '../../../../core/format';

export const roadmapImports = {
  roadmap: {
    title: 'Дорожная карта АРП',
    hint: 'Таблица мероприятий в шаблоне ФИОКО (Задача · Мероприятие · Сроки · Ответственные · Участники · Показатели · Документы) из Word или Excel.',
  },
  muni: {
    title: 'Муниципальная дорожная карта',
    hint: 'Разделы и пункты муниципальной дорожной карты с отчётной информацией этапа, из Word или Excel.',
  },
  steps: ['Файл', 'Проверка и место', 'Готово'] as const,
  fileHint: 'Документ Word (.docx) или таблица Excel (.xlsx), до 20 МБ. Таблица найдётся в любом месте документа по строке заголовка.',
  table: 'Таблица',
  tableOption: (index: number, measures: number) => `Таблица ${index}: ${countOf(measures, ['мероприятие', 'мероприятия', 'мероприятий'])}`,
  summary: (measures: number, tasks: number, vague: number, links: number) =>
    `${countOf(measures, ['мероприятие', 'мероприятия', 'мероприятий'])} в ${countOf(tasks, ['задаче', 'задачах', 'задачах'])}; без точной даты — ${vague}; ссылок на документы — ${links}.`,
  columns: (cols: string[]) => `Распознаны столбцы: ${cols.join(' · ')}.`,
  skipped: (n: number) => `Пропущено ${countOf(n, ['строка', 'строки', 'строк'])}`,
  skippedRow: (row: number, reason: string) => `строка ${row}: ${reason}`,
  readOnly: 'Это предпросмотр: править мероприятия можно после загрузки, в дорожной карте программы.',
  school: 'Школа',
  chooseSchool: '— выберите школу —',
  programme: 'Куда загрузить',
  chooseProgramme: '— выберите программу —',
  existing: 'Существующие программы',
  newArp: 'Новая АРП по фактору риска',
  confirm: (n: number) => `Загрузить ${countOf(n, ['мероприятие', 'мероприятия', 'мероприятий'])}`,
  needTarget: 'Выберите школу и программу, в которую загрузить дорожную карту.',
  done: (r: { measures: { created: number; updated: number; unchanged: number }; tasks: { created: number }; links_added: number }) =>
    `Готово: новых мероприятий — ${r.measures.created}, обновлено — ${r.measures.updated}, без изменений — ${r.measures.unchanged}; новых задач — ${r.tasks.created}; ссылок на документы — ${r.links_added}. Отменить загрузку целиком можно кнопкой «Отменить» сразу после неё.`,
  openProgramme: 'Открыть программу',
  year: 'Год дорожной карты',
  stage: 'Отчётная информация — этап',
  noStage: '— не загружать отчётную информацию —',
  reportColumn: (header: string) => `Столбец отчёта: «${header}».`,
  muniSummary: (sections: number, items: number) => `${countOf(sections, ['раздел', 'раздела', 'разделов'])}, ${countOf(items, ['пункт', 'пункта', 'пунктов'])}.`,
  colNo: '№',
  colDescription: 'Описание действий',
  colPeriod: 'Дата реализации',
  colIndicator: 'Показатель реализации',
  colReport: 'Отчётная информация',
  muniConfirm: 'Загрузить',
  muniDone: (r: { sections: { created: number }; items: { created: number; updated: number; unchanged: number }; reports: { created: number; updated: number } }) =>
    `Готово: новых разделов — ${r.sections.created}; пунктов новых — ${r.items.created}, обновлено — ${r.items.updated}, без изменений — ${r.items.unchanged}; отчётов — ${r.reports.created + r.reports.updated}.`,
  openMuni: 'Открыть муниципальную дорожную карту',
};
