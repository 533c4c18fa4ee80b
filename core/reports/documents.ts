/**
 * The DOCX reports coordinators and curators submit (seeds 000 and 004, DOMAIN.md rule 6),
 * built as ReportDoc models from the district data.
 */
import { AppError } from '../../db/errors';
import { qb, type Store } from '../../db/store';
import { countOf, formatDate, percentLabel, percentText, personFull, personShort } from '../format';
import { CRITERION_TITLES } from '../rules/expertise';
import { computeSheets } from '../monitoring/expertiseData';
import { summarise, type ExpertiseSummary } from '../monitoring/summary';
import { curatorEngagement, visitCompliance } from '../monitoring/monitoring';
import { h, p, row, table, type Block, type ReportDoc, type TableRow } from './model';
import { naturally } from '../search';

const FORMAT_RU: Record<string, string> = { school: 'в школе', online: 'онлайн', phone: 'по телефону' };
const VERDICT_RU: Record<string, string> = { pending: 'на проверке', confirmed: 'подтверждено', rework: 'на доработке' };
const STATUS_RU: Record<string, string> = { planned: 'запланировано', done: 'выполнено', not_done: 'не выполнено', postponed: 'перенесено', cancelled: 'отменено' };

export function districtOf(store: Store, districtId: string) {
  const d = store.first(qb.selectFrom('districts').selectAll().where('id', '=', districtId).where('deleted_at', 'is', null));
  if (!d) throw new AppError('not_found', 'Район не найден.');
  return d;
}

function participants(store: Store, districtId: string) {
  return store.all(
    qb.selectFrom('schools').select(['id', 'short_name', 'full_name']).where('district_id', '=', districtId).where('deleted_at', 'is', null).where('is_participant', '=', 1).orderBy(naturally('short_name')),
  );
}

function muniRoadmap(store: Store, districtId: string, year: number) {
  const sections = store.all(
    qb.selectFrom('muni_roadmap_sections').selectAll().where('district_id', '=', districtId).where('year', '=', year).where('deleted_at', 'is', null).orderBy('position'),
  );
  const items = store.all(
    qb
      .selectFrom('muni_roadmap_items as i')
      .innerJoin('muni_roadmap_sections as s', 's.id', 'i.section_id')
      .selectAll('i')
      .where('s.district_id', '=', districtId)
      .where('s.year', '=', year)
      .where('i.deleted_at', 'is', null)
      .orderBy('i.position'),
  );
  const reports = store.all(
    qb
      .selectFrom('muni_roadmap_reports as r')
      .innerJoin('muni_roadmap_items as i', 'i.id', 'r.item_id')
      .innerJoin('muni_roadmap_sections as s', 's.id', 'i.section_id')
      .leftJoin('calendar_stages as c', 'c.id', 'r.stage_id')
      .select(['r.item_id', 'r.stage_id', 'r.text', 'r.links', 'c.title as stage_title', 'c.deadline'])
      .where('s.district_id', '=', districtId)
      .where('s.year', '=', year)
      .where('r.deleted_at', 'is', null)
      .orderBy('c.deadline'),
  );
  return { sections, items, reports };
}

const reportText = (r: { text: string; links: string | null }) => [r.text, ...(r.links ?? '').split('\n').map((l) => l.trim()).filter(Boolean)].join('\n');

// ---------------------------------------------------------------- seed 004

export interface MuniReportParams {
  districtId: string;
  year: number;
  /** The monitoring stage whose reports the roadmap shows; none: every stage's reports up to the date. */
  stageId: string | null;
  /** The coordinator's own narrative; paragraphs separated by blank lines. */
  narrative: string | null;
  /** The day the report is as of: any date (a stage's deadline, today…). */
  date: string;
}

/** The day a municipal report is as of when none is given: its stage's deadline once passed, else today. */
export function muniReportDate(store: Store, stageId: string | null, today: string): string {
  const deadline = stageId ? store.first(qb.selectFrom('calendar_stages').select('deadline').where('id', '=', stageId))?.deadline : undefined;
  return deadline && deadline < today ? deadline : today;
}

/** The per-school table of the expertise: school, points, % of plan, comment — one row per АРП, in the natural order. */
function expertiseTable(summary: ExpertiseSummary): Block {
  return table(
    [
      ['Школа', 26],
      ['АРП', 34],
      ['Балл', 8],
      ['% выполнения плана', 12],
      ['Комментарий', 40],
    ],
    summary.districts.flatMap((d) => d.rows.map((r) => row(r.schoolName, r.programmeTitle, r.points, r.planPercent, r.comment || '—'))),
  );
}

/** The distribution of АРП by plan points, each band with its count and share, and the total. */
function distributionTable(summary: ExpertiseSummary): Block {
  return table(
    [
      ['Балл за соотношение плана и выполнения', 40],
      ['Программ', 12],
      ['Доля', 12],
    ],
    [...summary.planDistribution.map((d) => row(d.label, d.count, percentLabel(d.percent))), row('Всего', summary.programmes, summary.programmes ? '100%' : '—')],
  );
}

export function muniCoordinatorReport(store: Store, params: MuniReportParams): ReportDoc {
  const district = districtOf(store, params.districtId);
  const stage = params.stageId ? store.first(qb.selectFrom('calendar_stages').selectAll().where('id', '=', params.stageId)) : null;
  if (params.stageId && !stage) throw new AppError('not_found', 'Этап мониторинга не найден.', { stageId: 'Выберите этап' });
  const { sections, items, reports } = muniRoadmap(store, params.districtId, params.year);
  const schools = participants(store, params.districtId);
  const from = stage?.date_from ?? `${params.year}-01-01`;
  const to = params.date;
  const compliance = visitCompliance(store, params.districtId, from, to);
  const visits = compliance.reduce((s, c) => s + c.visits, 0);
  const sheets = computeSheets(store, { districtId: params.districtId }, to);
  const summary = summarise(to, sheets);
  const when = stage ? stage.title : `на ${formatDate(to)}`;

  const blocks: Block[] = [
    p(district.name, { align: 'center', bold: true }),
    p(`УТВЕРЖДАЮ\n\n_______________________\n«___» ____________ ${params.year} г.`, { align: 'right' }),
    h(`Отчет муниципального координатора о реализации Муниципальной дорожной карты проекта Адресной методической помощи «500+» в ${params.year} году (${when})`, 1),
  ];
  for (const para of (params.narrative ?? '').split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean)) blocks.push(p(para));
  // Facts the app knows, so the narrative never has to be counted by hand.
  blocks.push(
    p(
      `По состоянию на ${formatDate(to)} в проекте участвуют ${countOf(schools.length, ['школа', 'школы', 'школ'])}` +
        (schools.length ? ` (${schools.map((s) => s.short_name).join(', ')})` : '') +
        `. За период с ${formatDate(from)} по ${formatDate(to)} кураторы провели ${countOf(visits, ['посещение', 'посещения', 'посещений'])} школ; ` +
        `график посещений соблюдён для ${compliance.filter((c) => c.compliant).length} из ${compliance.length} закреплений «куратор — школа».`,
    ),
  );
  if (sheets.length > 0) {
    const withPlan = sheets.filter((s) => s.sheet.assessable && s.sheet.plan.points !== null);
    const done = withPlan.reduce((s, r) => s + (r.sheet.assessable ? r.sheet.plan.doneAndConfirmed : 0), 0);
    const due = withPlan.reduce((s, r) => s + (r.sheet.assessable ? r.sheet.plan.due : 0), 0);
    blocks.push(
      p(
        `Антирисковых программ: ${summary.programmes}, из них с дорожной картой — ${summary.assessed}. ` +
          (due ? `Из ${countOf(due, ['мероприятия', 'мероприятий', 'мероприятий'])}, запланированных на отчётную дату, выполнено и подтверждено документами ${done} (${percentText(done, due)}).` : 'Мероприятий, запланированных на отчётную дату, нет.'),
      ),
    );
    blocks.push(h(`Результаты экспертизы антирисковых программ на ${formatDate(to)}`, 2), expertiseTable(summary));
    blocks.push(h('Распределение программ по баллам', 3), distributionTable(summary));
  }

  const reportColumn = stage ? `Отчетная информация: ${stage.title}` : `Отчетная информация на ${formatDate(to)}`;
  blocks.push(h(`Муниципальная дорожная карта проекта Адресной методической помощи «500+» (на ${params.year} год)`, 2));
  const rows: TableRow[] = [];
  sections.forEach((s, si) => {
    rows.push({ section: `${si + 1}. ${s.title}` });
    items
      .filter((i) => i.section_id === s.id)
      .forEach((i, ii) => {
        const mine = reports.filter((r) => r.item_id === i.id && (stage ? r.stage_id === stage.id : !r.deadline || r.deadline <= to));
        const rep = mine.map((r) => (stage || !r.stage_title ? reportText(r) : `${r.stage_title}: ${reportText(r)}`)).join('\n');
        rows.push(row(`${si + 1}.${ii + 1}.`, i.description, i.period_text, i.indicator, rep || '—'));
      });
  });
  if (rows.length === 0) blocks.push(p(`Муниципальная дорожная карта на ${params.year} год не заполнена.`, { italic: true }));
  else
    blocks.push(
      table(
        [
          ['№ п/п', 6],
          ['Описание действий', 30],
          ['Дата реализации', 12],
          ['Муниципальный показатель реализации', 22],
          [reportColumn, 30],
        ],
        rows,
      ),
    );
  return { title: `Отчёт муниципального координатора — ${district.name}`, orientation: 'landscape', blocks };
}

// ---------------------------------------------------------------- seed 000

export function activitiesReport(store: Store, params: { districtId: string; year: number }): ReportDoc {
  const district = districtOf(store, params.districtId);
  const schools = participants(store, params.districtId);
  const { sections, items, reports } = muniRoadmap(store, params.districtId, params.year);
  const events = store.all(
    qb
      .selectFrom('events as e')
      .leftJoin('event_attendance as a', (j) => j.onRef('a.event_id', '=', 'e.id').on('a.deleted_at', 'is', null).on('a.attended', '=', 1))
      .select(['e.id', 'e.date', 'e.title', 'e.organiser', (eb) => eb.fn.count('a.id').as('attended')])
      .where('e.district_id', '=', params.districtId)
      .where('e.deleted_at', 'is', null)
      .where('e.date', '>=', `${params.year}-01-01`)
      .where('e.date', '<=', `${params.year}-12-31`)
      .groupBy('e.id')
      .orderBy('e.date'),
  );
  const blocks: Block[] = [
    h(`Отчёт об участии школ ${district.name} в проекте «500+» в ${params.year} году`, 1),
    p(
      schools.length
        ? `В проекте адресной методической помощи «500+» участвуют: ${schools.map((s) => s.full_name).join(', ')}.`
        : 'Школы — участницы проекта в районе не отмечены.',
    ),
    p('В рамках реализации проекта были проведены следующие мероприятия:'),
  ];
  const rows: TableRow[] = [];
  let n = 0;
  for (const s of sections) {
    for (const i of items.filter((x) => x.section_id === s.id)) {
      const marks = reports.filter((r) => r.item_id === i.id).map(reportText);
      rows.push(row(`${++n}.`, i.description, i.period_text, marks.length ? marks.join('\n') : 'Не отмечено'));
    }
  }
  for (const e of events) {
    const who = Number(e.attended);
    rows.push(row(`${++n}.`, `${e.title}${e.organiser ? ` (${e.organiser})` : ''}`, formatDate(e.date), who ? `Проведено; участников: ${who}` : 'Проведено'));
  }
  if (rows.length === 0) blocks.push(p('Мероприятия за год не внесены.', { italic: true }));
  else blocks.push(table([['№ п.п', 6], ['Описание действий', 44], ['Сроки', 16], ['Отметка о выполнении', 34]], rows));
  return { title: `Отчёт об участии школ в проекте «500+» — ${district.name}`, orientation: 'portrait', blocks };
}

// ---------------------------------------------------------------- curator over a period

export function curatorReport(store: Store, params: { curatorId: string; from: string; to: string }): ReportDoc {
  const curator = store.first(qb.selectFrom('people').selectAll().where('id', '=', params.curatorId).where('deleted_at', 'is', null));
  if (!curator) throw new AppError('not_found', 'Куратор не найден.', { curatorId: 'Выберите куратора' });
  const home = curator.organisation_id ? store.first(qb.selectFrom('schools').select('short_name').where('id', '=', curator.organisation_id)) : undefined;
  const visits = store.all(
    qb
      .selectFrom('visits as v')
      .innerJoin('schools as s', 's.id', 'v.school_id')
      .select(['v.date', 'v.format', 'v.topics', 'v.findings', 'v.recommendations', 's.short_name'])
      .where('v.curator_id', '=', params.curatorId)
      .where('v.deleted_at', 'is', null)
      .where('v.is_draft', '=', 0)
      .where('v.date', '>=', params.from)
      .where('v.date', '<=', params.to)
      .orderBy('v.date'),
  );
  const verdicts = store.all(
    qb
      .selectFrom('evidence_verdicts as v')
      .innerJoin('evidence as e', 'e.id', 'v.evidence_id')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['v.at', 'v.verdict', 'v.comment', 'e.title', 's.short_name'])
      .where('v.by_person_id', '=', params.curatorId)
      .where('v.deleted_at', 'is', null)
      .where('v.at', '>=', params.from)
      .where('v.at', '<=', `${params.to}T23:59:59.999Z`)
      .orderBy('v.at'),
  );
  const eng = curatorEngagement(store, curator.district_id, params.from, params.to).curators.find((c) => c.curatorId === curator.id);
  const compliance = visitCompliance(store, curator.district_id, params.from, params.to).filter((c) => c.curatorId === curator.id);
  const blocks: Block[] = [
    h(`Отчёт куратора проекта «500+» за период с ${formatDate(params.from)} по ${formatDate(params.to)}`, 1),
    p(`Куратор: ${personFull(curator)}${curator.position ? `, ${curator.position}` : ''}${home ? `, ${home.short_name}` : ''}.`),
    p(eng && eng.schools.length ? `Сопровождаемые школы: ${eng.schools.join(', ')}.` : 'Закреплённых школ нет.'),
    h('Посещения и консультации', 2),
  ];
  if (visits.length === 0) blocks.push(p('За период посещений не было.', { italic: true }));
  else
    blocks.push(
      table(
        [['№', 5], ['Дата', 11], ['Школа', 16], ['Формат', 10], ['Темы', 20], ['Выводы', 19], ['Рекомендации', 19]],
        visits.map((v, i) => row(i + 1, formatDate(v.date), v.short_name, FORMAT_RU[v.format] ?? v.format, v.topics, v.findings, v.recommendations)),
      ),
    );
  if (compliance.length > 0) {
    blocks.push(h('Соблюдение периодичности посещений', 2));
    blocks.push(
      table(
        [['Школа', 30], ['Посещений', 14], ['Требуется', 14], ['Наибольший перерыв, дн.', 20], ['Соблюдено', 14]],
        compliance.map((c) => row(c.schoolName, c.visits, c.required, `${c.longestGap} (допустимо ${c.allowedGap})`, c.compliant ? 'да' : 'нет')),
      ),
    );
  }
  blocks.push(h('Проверка подтверждающих документов', 2));
  if (verdicts.length === 0) blocks.push(p('За период решений по документам не было.', { italic: true }));
  else
    blocks.push(
      table(
        [['Дата', 12], ['Школа', 18], ['Документ', 34], ['Решение', 14], ['Комментарий', 22]],
        verdicts.map((v) => row(formatDate(v.at), v.short_name, v.title, VERDICT_RU[v.verdict] ?? v.verdict, v.comment)),
      ),
    );
  if (eng) {
    blocks.push(h(`Вовлечённость куратора: ${eng.score.points} из ${eng.score.max}`, 2));
    blocks.push(table([['Критерий', 45], ['Балл', 8], ['Обоснование', 47]], eng.score.criteria.map((c) => row(c.title, c.points, c.reason))));
  }
  return { title: `Отчёт куратора — ${personShort(curator)}`, orientation: 'landscape', blocks };
}

// ---------------------------------------------------------------- a school's АРП

export function programmeReport(store: Store, params: { programmeId: string; reportingDate: string }): ReportDoc {
  const prog = store.first(
    qb
      .selectFrom('programmes as p')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .selectAll('p')
      .select(['s.full_name', 's.short_name'])
      .where('p.id', '=', params.programmeId)
      .where('p.deleted_at', 'is', null),
  );
  if (!prog) throw new AppError('not_found', 'Программа не найдена.', { programmeId: 'Выберите программу' });
  const tasks = store.all(qb.selectFrom('programme_tasks').selectAll().where('programme_id', '=', prog.id).where('deleted_at', 'is', null).orderBy('position'));
  const measures = store.all(qb.selectFrom('measures').selectAll().where('programme_id', '=', prog.id).where('deleted_at', 'is', null).orderBy('position'));
  const evidence = store.all(
    qb
      .selectFrom('evidence as e')
      .innerJoin('measures as m', 'm.id', 'e.measure_id')
      .select(['e.id', 'e.title', 'e.kind', 'e.url', 'e.file_name', 'e.uploaded_at', 'e.verdict', 'e.verdict_comment', 'e.measure_id', 'm.title as measure_title'])
      .where('m.programme_id', '=', prog.id)
      .where('e.deleted_at', 'is', null)
      .where('m.deleted_at', 'is', null)
      .orderBy('m.position'),
  );
  const blocks: Block[] = [
    p(prog.full_name, { align: 'center', bold: true }),
    h(prog.title, 1),
    p(`Цель: ${prog.goal ?? '— не указана'}`),
    p(`Целевые показатели: ${prog.target_indicators ?? '— не указаны'}`),
    p(tasks.length ? `Задачи:\n${tasks.map((t, i) => `${i + 1}. ${t.title}`).join('\n')}` : 'Задачи: — не поставлены'),
    h('Дорожная карта', 2),
  ];
  const taskTitle = new Map(tasks.map((t) => [t.id, t.title]));
  const docsBy = new Map<string, string[]>();
  for (const e of evidence) docsBy.set(e.measure_id, [...(docsBy.get(e.measure_id) ?? []), `${e.title}${e.url ? ` ${e.url}` : ''}`]);
  if (measures.length === 0) blocks.push(p('Дорожная карта не заполнена.', { italic: true }));
  else
    blocks.push(
      table(
        [['Задача', 14], ['Мероприятие', 18], ['Сроки', 10], ['Ответственные', 11], ['Участники', 11], ['Показатели реализации', 14], ['Статус', 9], ['Подтверждающие документы', 13]],
        measures.map((m) =>
          row(
            m.task_id ? taskTitle.get(m.task_id) : '',
            m.unplanned ? `${m.title} (вне плана)` : m.title,
            m.date_text,
            m.responsible,
            m.participants,
            m.indicator,
            STATUS_RU[m.status],
            (docsBy.get(m.id) ?? []).join('\n'),
          ),
        ),
      ),
    );
  blocks.push(h('Подтверждающие документы', 2));
  if (evidence.length === 0) blocks.push(p('Документы не размещены.', { italic: true }));
  else
    blocks.push(
      table(
        [['№', 5], ['Документ', 27], ['Вид', 12], ['Мероприятие', 24], ['Размещён', 10], ['Решение куратора', 22]],
        evidence.map((e, i) => row(i + 1, [e.title, e.file_name, e.url].filter(Boolean).join('\n'), e.kind, e.measure_title, formatDate(e.uploaded_at), `${VERDICT_RU[e.verdict]}${e.verdict_comment ? `: ${e.verdict_comment}` : ''}`)),
      ),
    );
  const sheet = computeSheets(store, { programmeId: prog.id }, params.reportingDate)[0]?.sheet;
  if (sheet) {
    blocks.push(h(`Экспертный лист на ${formatDate(params.reportingDate)}`, 2));
    if (!sheet.assessable) blocks.push(p(`Н/о. ${sheet.reason}`));
    else
      blocks.push(
        table(
          [['Критерий', 45], ['Балл', 8], ['Обоснование', 47]],
          [
            row(CRITERION_TITLES.plan, sheet.plan.points ?? 'Н/о', sheet.plan.reason),
            ...sheet.criteria.map((c) =>
              row(
                CRITERION_TITLES[c.criterion],
                c.points,
                [c.reason, c.mark ? `Отметка эксперта${c.mark.by_name ? ` (${c.mark.by_name})` : ''} от ${formatDate(c.mark.at)}${c.mark.comment ? `: ${c.mark.comment}` : ''}` : c.source === 'suggestion' ? 'Предварительно, ждёт отметки эксперта' : '']
                  .filter(Boolean)
                  .join('\n'),
              ),
            ),
            row('ИТОГ', `${sheet.total} из ${sheet.max}`, ''),
          ],
        ),
      );
  }
  return { title: `${prog.short_name} — ${prog.title}`, orientation: 'landscape', blocks };
}
