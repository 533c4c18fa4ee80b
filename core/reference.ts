/**
 * The region's reference data shipped with the app so a district can work before its
 * first sync: the risk-factor catalogue and the project calendar. Ids are UUIDv5 of the
 * natural key, so every laptop creates the same rows and sync merges them instead of
 * duplicating.
 */
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE = '6f1c2a52-4f1e-4d8a-9c55-500500500500';

export const referenceId = (kind: string, key: string): string => uuidv5(`${kind}:${key}`, NAMESPACE);

export const RISK_FACTORS_2021: readonly { code: string; title: string }[] = [
  { code: 'РФ1', title: 'Низкий уровень оснащения школы' },
  { code: 'РФ2', title: 'Дефицит педагогических кадров' },
  { code: 'РФ3', title: 'Недостаточная предметная и методическая компетентность педагогических работников' },
  { code: 'РФ4', title: 'Риски низкой адаптивности учебного процесса' },
  { code: 'РФ5', title: 'Несформированность внутришкольной системы повышения квалификации' },
  { code: 'РФ6', title: 'Низкое качество преодоления языковых и культурных барьеров' },
  { code: 'РФ7', title: 'Пониженный уровень качества школьной образовательной и воспитательной среды' },
  { code: 'РФ8', title: 'Высокая доля обучающихся с рисками учебной неуспешности' },
  { code: 'РФ9', title: 'Низкая учебная мотивация обучающихся' },
  { code: 'РФ10', title: 'Низкий уровень вовлеченности родителей' },
];

/**
 * The production calendar's transfers shipped with the app (Постановление Правительства РФ
 * от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»). The region publishes later
 * years into the same table (`production_calendar`, reference data) from its server.
 */
export const PRODUCTION_CALENDAR_TRANSFERS: readonly { date: string; kind: 'day_off' | 'workday'; title: string }[] = [
  { date: '2026-01-09', kind: 'day_off', title: 'перенос выходного дня с 03.01.2026' },
  { date: '2026-12-31', kind: 'day_off', title: 'перенос выходного дня с 04.01.2026' },
];

/** Stages of the project year (DOMAIN.md, «project calendar»). */
export function calendarFor(year: number): { code: string; title: string; date_from: string | null; deadline: string }[] {
  return [
    { code: 'M1', title: 'Мониторинг 1 этап: загрузка документов', date_from: `${year}-04-01`, deadline: `${year}-05-25` },
    { code: 'E1', title: 'Экспертиза 1 этапа', date_from: `${year}-06-01`, deadline: `${year}-06-30` },
    { code: 'M2', title: 'Мониторинг 2 этап: загрузка документов', date_from: `${year}-09-01`, deadline: `${year}-10-20` },
    { code: 'E2', title: 'Экспертиза 2 этапа', date_from: `${year}-10-21`, deadline: `${year}-11-30` },
    { code: 'R', title: 'Подведение итогов года', date_from: `${year}-12-01`, deadline: `${year}-12-25` },
  ];
}
