/**
 * Demo field work on top of the demo district (core/demo.ts): a visit history dated relative
 * to today (so the start page always shows schools in time, due, overdue and never visited),
 * agreed next steps, one draft, visit schedules and the events of seed 000.
 */
import type { Store } from '../db/store';
import { qb } from '../db/store';
import { insertRow } from '../db/write';
import { todayOf } from './localDay';
import { workingCalendarOf } from './workingCalendar';
import { planVisitDates, shiftDate, weekOf } from './rules/visits';

/** Days since the last visit for each participant school, in the order they were created; null = never. */
const LAST_GAP: (number | null)[] = [10, 24, 35, 3, null, 27, 16, 3, 7, 12, null];

const TOPICS = [
  'Анализ рискового профиля школы, верификация факторов риска',
  'Согласование мероприятий дорожной карты АРП',
  'Подтверждающие документы к мероприятиям первого этапа',
  'Посещение уроков, методический разбор',
  'Подготовка к мониторингу: загрузка документов',
];

const FINDINGS = [
  'Сроки части мероприятий указаны как «в течение года» — требуется конкретизация.',
  'Приказы загружены, протоколы и аналитические справки отсутствуют.',
  'Рабочая группа сформирована, план заседаний утверждён.',
];

/** The breaks of the school year `today` falls in (autumn, winter, spring), as districts commonly set them. */
function demoBreaks(today: string): { title: string; date_from: string; date_to: string }[] {
  const y = Number(today.slice(0, 4)) - (today.slice(5, 7) < '09' ? 1 : 0);
  return [
    { title: 'Осенние каникулы', date_from: `${y}-10-26`, date_to: `${y}-11-03` },
    { title: 'Зимние каникулы', date_from: `${y}-12-29`, date_to: `${y + 1}-01-08` },
    { title: 'Весенние каникулы', date_from: `${y + 1}-03-23`, date_to: `${y + 1}-03-31` },
  ];
}

export function loadDemoVisits(store: Store): void {
  store.tx(() => {
    const today = todayOf(store);
    for (const districtId of new Set(store.all(qb.selectFrom('districts').select('id')).map((d) => d.id))) {
      for (const b of demoBreaks(today)) insertRow(store, 'school_breaks', { district_id: districtId, ...b });
    }
    const schools = store.all(
      qb
        .selectFrom('schools as s')
        .innerJoin('curator_assignments as a', 'a.school_id', 's.id')
        .select(['s.id', 's.stage', 's.short_name', 's.district_id', 'a.curator_id'])
        .where('s.is_participant', '=', 1)
        .where('s.deleted_at', 'is', null)
        .where('a.deleted_at', 'is', null)
        .orderBy('s.created_at'),
    );
    schools.forEach((s, i) => {
      const gap = LAST_GAP[i % LAST_GAP.length];
      if (gap == null) return;
      const step = s.stage === 'forming' ? 7 : 21;
      // History back to about three months ago, the newest one `gap` days ago.
      for (let k = 0, back = gap; back <= 95; k++, back += step) {
        const date = shiftDate(today, -back);
        const visit = insertRow(store, 'visits', {
          curator_id: s.curator_id,
          school_id: s.id,
          date,
          format: k % 3 === 2 ? 'online' : 'school',
          stage: s.stage,
          participants: 'Директор, школьный координатор, руководители ШМО',
          topics: TOPICS[(i + k) % TOPICS.length]!,
          findings: FINDINGS[(i + k) % FINDINGS.length]!,
          recommendations: 'Конкретизировать сроки, приложить протоколы заседаний.',
          next_visit_date: shiftDate(date, step),
          is_draft: false,
        });
        if (k === 0) {
          insertRow(store, 'visit_steps', { visit_id: visit.id, text: 'Прислать протокол заседания рабочей группы', due_date: shiftDate(date, 5), done: false });
          insertRow(store, 'visit_steps', { visit_id: visit.id, text: 'Уточнить сроки мероприятий АРП', due_date: shiftDate(date, 14), done: i % 2 === 0 });
        }
      }
    });

    // One draft a curator started and has not finished.
    const first = schools[0];
    if (first) {
      insertRow(store, 'visits', {
        curator_id: first.curator_id,
        school_id: first.id,
        date: today,
        format: 'phone',
        stage: first.stage,
        topics: 'Консультация по загрузке подтверждающих документов',
        is_draft: true,
      });
    }

    // Schedules for this week onwards: one approved, one still being worked on.
    const week = weekOf(today);
    schools.slice(0, 2).forEach((s, i) => {
      const district = store.first(qb.selectFrom('districts').selectAll().where('id', '=', s.district_id))!;
      const from = week.from;
      const to = shiftDate(from, 90);
      const schedule = insertRow(store, 'visit_schedules', {
        curator_id: s.curator_id,
        school_id: s.id,
        period_from: from,
        period_to: to,
        stage: s.stage,
        approved: i === 0,
        approved_by: i === 0 ? s.curator_id : null,
        approved_at: i === 0 ? new Date().toISOString() : null,
      });
      for (const d of planVisitDates(from, to, s.stage, district, workingCalendarOf(store, s.district_id))) insertRow(store, 'scheduled_visits', { schedule_id: schedule.id, planned_date: d, note: null });
    });

    // Events of seed 000 (Каменск-Уральский, 2021) and one coming up.
    const districtId = schools[0]?.district_id;
    if (!districtId) return;
    const events: { date: string; kind: 'meeting' | 'webinar' | 'seminar' | 'imd' | 'conference'; title: string; organiser: string }[] = [
      { date: '2021-03-01', kind: 'imd', title: 'ИМД «Управление коммуникациями или коммуникативный менеджмент»', organiser: 'ГАОУ ДПО СО «ИРО»' },
      { date: '2021-03-15', kind: 'meeting', title: 'Установочное совещание с представителями школ — участников проекта', organiser: 'УО' },
      { date: '2021-03-22', kind: 'seminar', title: 'Онлайн семинар-совещание «Региональный проект адресной методической помощи: актуальные действия»', organiser: 'ГАОУ ДПО СО «ИРО»' },
      { date: '2021-04-07', kind: 'meeting', title: 'Совещание «Мониторинг выполнения мероприятий дорожной карты в ИС МЭДК»', organiser: 'ГАОУ ДПО СО «ИРО»' },
      { date: shiftDate(today, 9), kind: 'webinar', title: 'Методический вебинар ФИОКО по педагогическим технологиям', organiser: 'ФИОКО' },
    ];
    const kamensk = schools.filter((s) => s.district_id === districtId);
    for (const e of events) {
      const event = insertRow(store, 'events', { district_id: districtId, ...e });
      for (const s of kamensk) insertRow(store, 'event_attendance', { event_id: event.id, school_id: s.id, person_id: null, attended: e.date < today });
    }
  });
}
