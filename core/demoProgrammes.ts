/**
 * Demo programmes and the municipal roadmap, from the seeds: the АРП roadmap templates
 * of seed 003 (with the vague «Сроки» the expertise found, so the date lint has
 * something to show), evidence with verdicts, and the municipal roadmap of seed 004
 * (г. Шахты) with its report information per monitoring stage.
 */
import type { Store } from '../db/store';
import { qb } from '../db/store';
import { insertRow } from '../db/write';
import { createMuniItem, createMuniSection, saveMuniReport } from './handlers/muni';
import { addEvidence, arpTitle, createMeasure, createProgramme, setVerdict } from './handlers/programmes.node';
import { todayOf } from './localDay';
import { referenceId } from './reference';

interface DemoMeasure {
  title: string;
  date: string;
  responsible: string;
  participants?: string;
  indicator: string;
  status?: 'planned' | 'done' | 'not_done' | 'postponed' | 'cancelled';
  unplanned?: boolean;
  evidence?: { title: string; kind: string; url: string; verdict?: 'confirmed' | 'rework'; comment?: string }[];
}

interface DemoArp {
  school: string;
  factor: string;
  goal: string;
  indicators: string;
  tasks: { title: string; measures: DemoMeasure[] }[];
}

// Seed 003, «Вариант оформления» and the Татищевская ООШ analytic note, with the dates the
// expertise met in practice: some concrete, some «Май-ноябрь», «в течение года».
const ARPS: DemoArp[] = [
  {
    school: 'Средняя школа № 2',
    factor: 'РФ8',
    goal: 'Снижение доли обучающихся с рисками учебной неуспешности к концу 2022-2023 учебного года за счёт создания условий для эффективного обучения и повышения мотивации школьников к учебной деятельности.',
    indicators: 'Увеличение качества образования на 5%\nПовышение уровня обученности на 3%\nПодтверждение 50% обучающихся своих оценок на ВПР\n100% выпускников продолжают обучение',
    tasks: [
      {
        title: '1. Повысить профессиональную компетентность учителей в работе с обучающимися с рисками школьной неуспешности',
        measures: [
          {
            title: 'Диагностика профессиональных дефицитов педагогов',
            date: 'с 10.03.2022 по 02.04.2022',
            responsible: 'Администрация школы',
            participants: 'Педагоги',
            indicator: 'Проведена диагностика, составлена аналитическая справка по её результатам',
            status: 'done',
            evidence: [
              { title: 'Аналитическая справка по итогам диагностики профессиональных дефицитов', kind: 'Аналитическая справка', url: 'https://disk.yandex.ru/i/1MgWL8EyK5Nipw', verdict: 'confirmed' },
            ],
          },
          {
            title: 'Прохождение курсов повышения квалификации «Реализация требований обновленных ФГОС НОО, ФГОС ООО в работе учителя»',
            date: 'Апрель-май, 2022 год',
            responsible: 'Заместитель директора по УВР',
            participants: 'Шесть педагогов',
            indicator: 'Удостоверения о повышении квалификации у 6 педагогов',
            status: 'done',
            evidence: [{ title: 'Приказ о направлении на КПК', kind: 'Приказ', url: 'https://disk.yandex.ru/i/prikaz-kpk', verdict: 'rework', comment: 'Приказ говорит о намерении. Приложите удостоверения о повышении квалификации.' }],
          },
          {
            title: 'Оказание адресной психолого-педагогической помощи педагогам',
            date: 'в течение года',
            responsible: 'Администрация школы, педагог-психолог',
            indicator: 'Реализована программа профилактики профессионального выгорания «Скажи стрессу НЕТ»',
          },
        ],
      },
      {
        title: '2. Сформировать систему мероприятий по поддержанию и повышению учебной мотивации обучающихся',
        measures: [
          {
            title: 'Внедрение технологии формирующего оценивания на уроках: выступление на МО учителей-предметников',
            date: '12.05.2022',
            responsible: 'Руководитель МО учителей-предметников',
            participants: 'Учителя-предметники',
            indicator: 'Протокол заседания МО',
            status: 'done',
            evidence: [{ title: 'Протокол заседания МО № 4 от 12.05.2022', kind: 'Протокол', url: 'https://disk.yandex.ru/i/protocol-mo-4' }],
          },
          {
            title: 'Диагностика обучающихся с трудностями учебной деятельности с целью выявления причин затруднений',
            date: 'Май 2022',
            responsible: 'Администрация школы, МО классных руководителей',
            indicator: 'Аналитическая справка по результатам диагностики',
          },
          {
            title: 'Собеседования с педагогами по итогам четверти',
            date: 'в конце четверти',
            responsible: 'Заместитель директора по УВР',
            indicator: 'Протоколы собеседований',
            status: 'not_done',
          },
        ],
      },
      {
        title: '3. Вовлечь родителей в учебный процесс',
        measures: [
          {
            title: 'Индивидуальное психолого-педагогическое консультирование родителей о проблемах адаптационного периода',
            date: 'Май-ноябрь',
            responsible: 'Педагог-психолог',
            participants: 'Родители (законные представители) обучающихся',
            indicator: '100% родителей, изъявивших желание, получили консультацию',
          },
          {
            title: 'Создание страницы сайта школы, посвящённой адаптации 5-классников',
            date: '20.05.2022',
            responsible: 'Ответственный за работу с сайтом',
            participants: 'Обучающиеся, родители, педагоги',
            indicator: 'Создана страница сайта школы, размещены объявления',
            status: 'done',
            evidence: [{ title: 'Ссылка на страницу сайта школы', kind: 'Ссылка на страницу сайта', url: 'http://76308s025.edusite.ru/', verdict: 'confirmed' }],
          },
          {
            title: 'Договор с Центром «Содействие» о психолого-педагогической помощи',
            date: '15.03.2022',
            responsible: 'Директор',
            indicator: 'Заключён договор',
            status: 'done',
            unplanned: true,
          },
        ],
      },
    ],
  },
  {
    school: 'Средняя школа № 7',
    factor: 'РФ8',
    goal: 'Снижение доли обучающихся с рисками учебной неуспешности через повышение методической компетентности педагогов.',
    indicators: 'Доля педагогов, прошедших КПК по выявленным дефицитам, — не менее 80%\nДоля уроков с применением формирующего оценивания — не менее 50%',
    tasks: [
      {
        title: '1. Выявить профессиональные дефициты педагогов',
        measures: [
          { title: 'Анкетирование педагогов по выявлению дефицитов', date: '15.09.2022', responsible: 'Заместитель директора по УВР', indicator: 'Аналитическая справка по итогам анкетирования' },
          { title: 'Взаимопосещение уроков', date: 'постоянно', responsible: 'Руководители ШМО', indicator: 'Листы наблюдения уроков' },
        ],
      },
    ],
  },
];

// Seed 004: the municipal roadmap of г. Шахты (abridged), with report information.
const MUNI: { section: number; description: string; period: string; responsible: string; indicator: string; reports?: Partial<Record<'M1' | 'M2', { text: string; links?: string }>> }[] = [
  {
    section: 0,
    description: 'Посещение школ-участниц Проекта 500+ закрепленными кураторами с целью оказания методической поддержки',
    period: 'Август-ноябрь',
    responsible: 'Кураторы проекта',
    indicator: 'Наличие графиков посещений школ-участниц Проекта 500+ закрепленными кураторами',
    reports: { M2: { text: 'Графики посещения школ кураторами', links: 'https://disk.yandex.ru/i/Blmt1s8clBuahg' } },
  },
  { section: 0, description: 'Подготовка отчетов кураторов по реализации Проекта 500+', period: 'Ноябрь', responsible: 'Кураторы проекта', indicator: 'Отчеты кураторов школ-участниц Проекта 500+ подготовлены' },
  {
    section: 0,
    description: 'Подготовка отчета о реализации муниципальной дорожной карты',
    period: 'Ноябрь',
    responsible: 'Муниципальный координатор',
    indicator: 'Отчет о выполнении мероприятий «Муниципальной дорожной карты» размещен на странице Проекта 500+ сайта Департамента образования',
  },
  {
    section: 1,
    description: 'Организация участия школ-участниц проекта, кураторов и школьных координаторов в региональных вебинарах по реализации Проекта 500+',
    period: 'Август-декабрь',
    responsible: 'Муниципальный координатор',
    indicator: 'Достижение 100% участия в региональных вебинарах',
    reports: { M2: { text: 'Регистрационный лист участия школ в вебинарах', links: 'https://disk.yandex.ru/i/cvGK9DI6OXJMUQ' } },
  },
  {
    section: 2,
    description: 'Проведение тьюторами консультаций для педагогов школ-участниц проекта по созданию индивидуальных образовательных маршрутов для обучающихся ШНОР',
    period: 'Июнь-август',
    responsible: 'Тьюторы',
    indicator: 'Разработаны индивидуальные образовательные маршруты для обучающихся',
    reports: { M1: { text: 'Проведено практическое занятие по разработке ИОМ', links: 'https://disk.yandex.ru/i/u4b9vaNr75uajQ' } },
  },
  { section: 2, description: 'Организация работы муниципальных методических сообществ педагогических работников по совершенствованию технологий обучения', period: 'Август-ноябрь', responsible: 'Методический центр', indicator: 'Утвержден план работы методических сообществ' },
  {
    section: 3,
    description: 'Мониторинг реализации «Муниципальных дорожных карт» (первый этап)',
    period: 'Июнь-июль',
    responsible: 'Муниципальный координатор',
    indicator: 'Отчет о выполнении мероприятий размещен на странице Проекта 500+ сайта Департамента образования',
    reports: { M1: { text: 'Отчёт размещён на сайте', links: 'http://shakhty-edu.ru/taxonomy/term/147' } },
  },
  { section: 3, description: 'Участие директоров школ-участниц и кураторов проекта в анкетировании', period: 'Ноябрь', responsible: 'Директора, кураторы', indicator: 'Прохождение директорами, кураторами анкетирования' },
];

const SECTIONS = ['Организационное сопровождение Проекта 500+', 'Информационное сопровождение Проекта 500+', 'Методическое сопровождение Проекта 500+', 'Участие в мониторинговых исследованиях'];

function schoolId(store: Store, shortName: string): string | undefined {
  return store.first(qb.selectFrom('schools').select('id').where('short_name', '=', shortName).where('deleted_at', 'is', null))?.id;
}

function curatorOf(store: Store, school: string): string | null {
  return store.first(qb.selectFrom('curator_assignments').select('curator_id').where('school_id', '=', school).where('deleted_at', 'is', null))?.curator_id ?? null;
}

/** Adds the demo programmes and municipal roadmap; called inside loadDemo's transaction. */
export function loadDemoProgrammes(store: Store, year = Number(todayOf(store).slice(0, 4))): void {
  for (const arp of ARPS) {
    const school = schoolId(store, arp.school);
    if (!school) continue;
    const factorId = referenceId('risk_factor', `2021:${arp.factor}`);
    const factor = store.first(qb.selectFrom('risk_factors').select('title').where('id', '=', factorId));
    if (!factor) continue;
    const curator = curatorOf(store, school);
    const programme = createProgramme(store, {
      school_id: school,
      kind: 'arp',
      risk_factor_id: factorId,
      title: arpTitle(factor.title),
      goal: arp.goal,
      target_indicators: arp.indicators,
      period_from: '2022-01-10',
      period_to: '2022-12-30',
    });
    arp.tasks.forEach((task, i) => {
      const t = insertRow(store, 'programme_tasks', { programme_id: programme.id, position: i + 1, title: task.title });
      for (const m of task.measures) {
        const measure = createMeasure(store, {
          programme_id: programme.id,
          task_id: t.id,
          title: m.title,
          date_text: m.date,
          responsible: m.responsible,
          participants: m.participants ?? null,
          indicator: m.indicator,
          status: m.status ?? 'planned',
          unplanned: m.unplanned ?? false,
        });
        for (const e of m.evidence ?? []) {
          const ev = addEvidence(store, '', { measure_id: measure.id, title: e.title, kind: e.kind, url: e.url, file: null, uploaded_by: null });
          if (e.verdict) setVerdict(store, { id: ev.id, verdict: e.verdict, comment: e.comment ?? null, by_person_id: curator });
        }
      }
    });
    insertRow(store, 'comments', { target_table: 'programmes', target_id: programme.id, author_id: curator, body: 'Конкретизируйте сроки мероприятий «в течение года» и «Май-ноябрь»: эксперты ФИОКО их не засчитывают.' });
  }

  const stages = new Map(store.all(qb.selectFrom('calendar_stages').select(['id', 'code']).where('year', '=', year)).map((s) => [s.code, s.id]));
  const sections = SECTIONS.map((title) => createMuniSection(store, year, title));
  for (const item of MUNI) {
    const row = createMuniItem(store, { section_id: sections[item.section]!.id, description: item.description, period_text: `${item.period} ${year}`, responsible: item.responsible, indicator: item.indicator });
    for (const [code, report] of Object.entries(item.reports ?? {})) {
      const stageId = stages.get(code);
      if (stageId) saveMuniReport(store, { item_id: row.id, stage_id: stageId, text: report.text, links: report.links ?? null });
    }
  }
}
