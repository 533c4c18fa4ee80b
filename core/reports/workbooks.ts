/** The XLSX reports: expertise summaries and sheets, the visit journal, the visit schedule. */
import { qb, type Store } from '../../db/store';
import { formatDate, personShort } from '../format';
import { POINT_CRITERIA } from '../rules/expertise';
import { computeSheets, type Scope } from '../monitoring/expertiseData';
import { summarise, type ExpertiseSummary, type SheetRow } from '../monitoring/summary';
import type { Workbook, XCell } from './model';
import { naturally } from '../search';

const FORMAT_RU: Record<string, string> = { school: 'в школе', online: 'онлайн', phone: 'по телефону' };
const STAGE_RU: Record<string, string> = { forming: 'формирование ДК', implementing: 'реализация ДК' };
const SHORT: Record<string, string> = {
  tasks: 'Задачи',
  indicators: 'Показатели',
  dates: 'Конкретные сроки',
  evidence_match: 'Документы соотносятся',
  evidence_fact: 'Документы подтверждают факт',
};

export function expertiseWorkbookFrom(summary: ExpertiseSummary, rows: readonly SheetRow[], scopeName: string): Workbook {
  const date = formatDate(summary.reportingDate);
  const pct = (n: number | null): XCell => (n === null ? 'Н/о' : { percent: n / 100 });
  return {
    title: `Экспертиза АРП — ${scopeName} — на ${date}`,
    sheets: [
      {
        name: 'Критерии',
        title: `Результаты экспертизы на ${date}: оценено ${summary.assessed} из ${summary.programmes} АРП (Н/о: ${summary.notAssessable})`,
        columns: [
          { header: 'Критерий', width: 70 },
          { header: 'Программы, соответствующие критерию (количество)', width: 22 },
          { header: 'Программы, соответствующие критерию (процент)', width: 22 },
        ],
        rows: summary.criteria.map((c) => [c.title, c.count, pct(c.percent)]),
      },
      {
        name: 'Распределение баллов',
        title: 'Соотношение запланированных мероприятий к реализованным',
        columns: [
          { header: 'Балл', width: 44 },
          { header: 'Программы (количество)', width: 20 },
          { header: 'Программы (процент)', width: 20 },
        ],
        rows: [...summary.planDistribution.map((d): XCell[] => [d.label, d.count, { percent: d.percent / 100 }]), ['Всего', summary.programmes, { percent: summary.programmes ? 1 : 0 }]],
      },
      {
        name: 'По районам',
        title: 'Результаты экспертизы по критерию «Соотношение запланированных мероприятий к реализованным»',
        columns: [
          { header: 'Муниципальное образование', width: 28 },
          { header: 'Название ОО', width: 30 },
          { header: 'АРП', width: 40 },
          { header: 'Балл', width: 8 },
          { header: 'Процент выполнения плана', width: 14 },
          { header: 'Итог', width: 10 },
          { header: 'Комментарий', width: 50 },
        ],
        rows: summary.districts.flatMap((d) => d.rows.map((r): XCell[] => [d.districtName, r.schoolName, r.programmeTitle, r.points, r.planPercent, r.total, r.comment])),
      },
      {
        name: 'Экспертные листы',
        title: `Экспертные листы АРП на ${date}`,
        columns: [
          { header: 'Муниципальное образование', width: 24 },
          { header: 'ОО', width: 26 },
          { header: 'АРП', width: 36 },
          { header: 'Мероприятий к дате', width: 11 },
          { header: 'Выполнено и подтверждено', width: 12 },
          { header: 'План, балл', width: 8 },
          ...POINT_CRITERIA.map((c) => ({ header: SHORT[c]!, width: 12 })),
          { header: 'Итог', width: 8 },
          { header: 'Из', width: 5 },
          { header: 'Обоснование', width: 60 },
        ],
        rows: rows.map((r): XCell[] => {
          const s = r.sheet;
          if (!s.assessable) return [r.districtName, r.schoolName, r.programmeTitle, null, null, 'Н/о', ...POINT_CRITERIA.map(() => null), 'Н/о', null, s.reason];
          return [
            r.districtName,
            r.schoolName,
            r.programmeTitle,
            s.plan.due,
            s.plan.doneAndConfirmed,
            s.plan.points ?? 'Н/о',
            ...s.criteria.map((c) => c.points),
            s.total,
            s.max,
            [s.plan.reason, ...s.criteria.filter((c) => c.points === 0).map((c) => `${SHORT[c.criterion]}: ${c.reason}`), s.awaitingMarks.length ? 'Предварительно: ждёт отметки эксперта.' : ''].filter(Boolean).join(' '),
          ];
        }),
      },
    ],
  };
}

export function expertiseWorkbook(store: Store, scope: Scope, reportingDate: string, scopeName: string): Workbook {
  const rows = computeSheets(store, scope, reportingDate);
  return expertiseWorkbookFrom(summarise(reportingDate, rows), rows, scopeName);
}

export function visitJournalWorkbook(store: Store, params: { districtId: string; from: string; to: string }, districtName: string): Workbook {
  const visits = store.all(
    qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .innerJoin('people as p', 'p.id', 'v.curator_id')
      .select(['v.date', 'v.format', 'v.stage', 'v.participants', 'v.topics', 'v.findings', 'v.recommendations', 'v.next_visit_date', 's.short_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
      .where('s.district_id', '=', params.districtId)
      .where('v.deleted_at', 'is', null)
      .where('v.is_draft', '=', 0)
      .where('v.date', '>=', params.from)
      .where('v.date', '<=', params.to)
      .orderBy('v.date')
      .orderBy('p.last_name'),
  );
  return {
    title: `Журнал посещений — ${districtName} — ${formatDate(params.from)}–${formatDate(params.to)}`,
    sheets: [
      {
        name: 'Журнал посещений',
        title: `Журнал посещений и консультаций кураторов, ${districtName}, с ${formatDate(params.from)} по ${formatDate(params.to)}`,
        columns: [
          { header: 'Дата', width: 12 },
          { header: 'Куратор', width: 20 },
          { header: 'Школа', width: 26 },
          { header: 'Формат', width: 12 },
          { header: 'Этап', width: 16 },
          { header: 'Участники', width: 26 },
          { header: 'Темы', width: 32 },
          { header: 'Выводы', width: 32 },
          { header: 'Рекомендации', width: 32 },
          { header: 'Следующее посещение', width: 14 },
        ],
        rows: visits.map((v) => [
          { date: v.date },
          personShort(v),
          v.short_name,
          FORMAT_RU[v.format] ?? v.format,
          STAGE_RU[v.stage] ?? v.stage,
          v.participants,
          v.topics,
          v.findings,
          v.recommendations,
          v.next_visit_date ? { date: v.next_visit_date } : null,
        ]),
      },
    ],
  };
}

export function visitScheduleWorkbook(store: Store, params: { districtId: string; from: string; to: string }, districtName: string): Workbook {
  const planned = store.all(
    qb
      .selectFrom('scheduled_visits as sv')
      .innerJoin('visit_schedules as vs', 'vs.id', 'sv.schedule_id')
      .innerJoin('schools as s', 's.id', 'vs.school_id')
      .innerJoin('people as p', 'p.id', 'vs.curator_id')
      .select(['sv.planned_date', 'sv.note', 'vs.curator_id', 'vs.school_id', 'vs.stage', 'vs.approved', 'vs.approved_at', 's.short_name', 'p.last_name', 'p.first_name', 'p.middle_name'])
      .where('s.district_id', '=', params.districtId)
      .where('sv.deleted_at', 'is', null)
      .where('vs.deleted_at', 'is', null)
      .where('sv.planned_date', '>=', params.from)
      .where('sv.planned_date', '<=', params.to)
      .orderBy('p.last_name')
      .orderBy(naturally('s.short_name'))
      .orderBy('sv.planned_date'),
  );
  const visits = store.all(
    qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .select(['v.curator_id', 'v.school_id', 'v.date'])
      .where('s.district_id', '=', params.districtId)
      .where('v.deleted_at', 'is', null)
      .where('v.is_draft', '=', 0),
  );
  // A planned visit counts as held if the curator visited that school within three days of the date.
  const held = (curator: string, school: string, date: string): string | null => {
    const t = Date.parse(date);
    const v = visits.find((x) => x.curator_id === curator && x.school_id === school && Math.abs(Date.parse(x.date) - t) <= 3 * 86_400_000);
    return v ? v.date : null;
  };
  return {
    title: `График посещений — ${districtName} — ${formatDate(params.from)}–${formatDate(params.to)}`,
    sheets: [
      {
        name: 'График посещений',
        title: `График посещений школ кураторами, ${districtName}, с ${formatDate(params.from)} по ${formatDate(params.to)}`,
        columns: [
          { header: 'Куратор', width: 20 },
          { header: 'Школа', width: 26 },
          { header: 'Этап', width: 16 },
          { header: 'Плановая дата', width: 14 },
          { header: 'Утверждён', width: 14 },
          { header: 'Состоялось', width: 14 },
          { header: 'Примечание', width: 30 },
        ],
        rows: planned.map((r) => {
          const h = held(r.curator_id, r.school_id, r.planned_date);
          return [personShort(r), r.short_name, STAGE_RU[r.stage] ?? r.stage, { date: r.planned_date }, r.approved ? (r.approved_at ? formatDate(r.approved_at) : 'да') : 'нет', h ? { date: h } : r.planned_date < params.to ? 'нет' : null, r.note];
        }),
      },
    ],
  };
}
