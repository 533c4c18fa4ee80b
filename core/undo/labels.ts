/**
 * What an undo step is called in the toast: «изменение срока мероприятия «Анкетирование»»,
 * worked out from the rows a call wrote, so every call gets a name without restating it.
 * A call whose effect is better named as a whole (a generated schedule, an import) names
 * itself in CALL_LABELS.
 */
import type { SyncedTable } from '../../db/schema';
import type { WrittenChange } from '../../db/store';

/** Each synced table's row, in the genitive: «удаление …». */
export const TABLE_GENITIVE: Record<SyncedTable, string> = {
  regions: 'региона',
  districts: 'района',
  schools: 'школы',
  people: 'человека',
  orders: 'приказа',
  curator_assignments: 'закрепления куратора',
  risk_factors: 'фактора риска',
  risk_profiles: 'профиля рисков',
  programmes: 'программы',
  programme_tasks: 'задачи',
  measures: 'мероприятия',
  evidence: 'подтверждающего документа',
  evidence_verdicts: 'решения по документу',
  comments: 'комментария',
  visit_schedules: 'графика посещений',
  scheduled_visits: 'даты в графике посещений',
  visits: 'посещения',
  visit_topics: 'темы посещения',
  visit_steps: 'шага посещения',
  muni_roadmap_sections: 'раздела муниципальной дорожной карты',
  muni_roadmap_items: 'пункта муниципальной дорожной карты',
  muni_roadmap_reports: 'отчёта по пункту муниципальной дорожной карты',
  events: 'события',
  event_attendance: 'отметки об участии',
  result_indicators: 'показателя результата',
  calendar_stages: 'этапа календаря проекта',
  production_calendar: 'дня производственного календаря',
  school_breaks: 'каникул',
  expertise_marks: 'экспертной отметки',
};

/** A single field changed in the grid is named: «изменение срока мероприятия». */
const FIELD_GENITIVE: { readonly [T in SyncedTable]?: Readonly<Record<string, string>> } = {
  measures: {
    title: 'названия',
    date_text: 'срока',
    responsible: 'ответственных',
    participants: 'участников',
    indicator: 'показателей',
    expected_result: 'ожидаемого результата',
    unplanned: 'отметки «вне плана»',
    status: 'статуса',
    task_id: 'задачи',
  },
  programme_tasks: { title: 'названия' },
};

/** Calls named as a whole rather than by their first row. */
export const CALL_LABELS: Readonly<Record<string, string>> = {
  'programmes.createMissingArps': 'создание недостающих АРП',
  'visitSchedules.generate': 'составление графика посещений',
  'muni.createStandardSections': 'создание типовых разделов муниципальной дорожной карты',
  'imports.commitSchools': 'импорт списка школ',
  'imports.commitPeople': 'импорт списка людей',
  'imports.commitAssignments': 'импорт закреплений кураторов',
  'imports.roadmapCommit': 'импорт дорожной карты',
  'imports.muniCommit': 'импорт муниципальной дорожной карты',
};

/** Columns every write stamps: they say nothing about what the user changed. */
const STAMPS = new Set(['updated_at', 'created_at']);

type Kind = 'insert' | 'delete' | 'restore' | 'update';

function kindOf(w: WrittenChange): Kind {
  if (w.before === null) return 'insert';
  if ('deleted_at' in w.after) return w.after.deleted_at === null ? 'restore' : 'delete';
  return 'update';
}

const KIND_NOUN: Record<Kind, string> = { insert: 'добавление', delete: 'удаление', restore: 'восстановление', update: 'изменение' };
/** Which row names the step when a call wrote several: the one it was about, not a position shifted on the way. */
const KIND_WEIGHT: Record<Kind, number> = { insert: 3, delete: 2, restore: 2, update: 1 };

/**
 * The step's name from its writes: the main row's kind of change, its table and title, and
 * how many rows the call wrote besides when there were several.
 */
export function labelOf(call: string, writes: readonly WrittenChange[], titleOf: (table: SyncedTable, id: string) => string): string {
  const rows = new Set(writes.map((w) => `${w.table}/${w.id}`)).size;
  const whole = CALL_LABELS[call];
  if (whole) return rows > 1 ? `${whole} (записей: ${rows})` : whole;
  let main = writes[0]!;
  for (const w of writes) if (KIND_WEIGHT[kindOf(w)] > KIND_WEIGHT[kindOf(main)]) main = w;
  const kind = kindOf(main);
  const fields = writes
    .filter((w) => w.table === main.table && w.id === main.id)
    .flatMap((w) => Object.keys(w.after))
    .filter((c) => !STAMPS.has(c));
  // Fields derived on the way (a term's parsed dates) have no name: the one named field names the change.
  const named = [...new Set(fields)].map((c) => FIELD_GENITIVE[main.table]?.[c]).filter((n): n is string => n !== undefined);
  const field = kind === 'update' && named.length === 1 ? named[0] : undefined;
  const title = titleOf(main.table, main.id).trim();
  const shown = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  return [KIND_NOUN[kind], field, TABLE_GENITIVE[main.table], shown ? `«${shown}»` : '', rows > 1 ? `(записей: ${rows})` : '']
    .filter(Boolean)
    .join(' ');
}
