import fs from 'node:fs';
import { sql } from 'kysely';
import { AppError } from '../../db/errors';
import type { Row } from '../../db/schema';
import { qb, type Store } from '../../db/store';
import { getRow, insertRow, softDelete, updateRow } from '../../db/write';
import { blobPath, decodeBase64, putBlob, readBlob } from '../blobs.node';
import type { CommentRow, EvidenceRow, MeasureRow, ProgrammeSummary, programmesContract, VerdictRow } from '../contract/programmes';
import { countOf, personShort } from '../format';
import { lintDate } from '../rules/dateLint';
import { checkVerdict } from '../rules/verdicts';
import { currentDistrictId } from './app';
import { signedInPerson } from './author';
import type { Handlers } from './types';
import { naturally } from '../search';

/** The dates a measure row stores for its «Сроки» text: parsed only when the lint calls it concrete. */
export function measureDates(dateText: string): { date_from: string | null; date_to: string | null } {
  const r = lintDate(dateText);
  return r.concrete ? { date_from: r.date_from, date_to: r.date_to } : { date_from: null, date_to: null };
}

export const KIND_TITLES = { concept: 'Концепция развития', midterm: 'Среднесрочная программа развития', arp: 'Антирисковая программа' } as const;

export const arpTitle = (factorTitle: string) => `Антирисковая программа «${factorTitle}»`;

const packedName = (p: { last_name: string; first_name: string; middle_name: string | null } | undefined | null) => (p ? personShort(p) : null);

function liveRow<T extends 'programmes' | 'programme_tasks' | 'measures' | 'evidence' | 'schools'>(store: Store, table: T, id: string, what: string): Row<T> {
  const row = getRow(store, table, id) as (Row<T> & { deleted_at: string | null }) | undefined;
  if (!row || row.deleted_at) throw new AppError('not_found', `${what}: возможно, запись удалили.`);
  return row;
}

function personName(store: Store, id: string | null): string | null {
  if (!id) return null;
  return packedName(getRow(store, 'people', id));
}

function schoolHead(store: Store, id: string) {
  const s = liveRow(store, 'schools', id, 'Школа не найдена');
  return { id: s.id, short_name: s.short_name, full_name: s.full_name };
}

/** Per-programme counts in one query (a roadmap overview must not run a query per programme). */
function summaries(store: Store, schoolId: string): ProgrammeSummary[] {
  const rows = store.all(
    qb
      .selectFrom('programmes as p')
      .leftJoin('risk_factors as f', 'f.id', 'p.risk_factor_id')
      .selectAll('p')
      .select('f.title as risk_factor_title')
      .select([
        sql<number>`(SELECT count(*) FROM programme_tasks t WHERE t.programme_id = p.id AND t.deleted_at IS NULL)`.as('tasks'),
        sql<number>`(SELECT count(*) FROM measures m WHERE m.programme_id = p.id AND m.deleted_at IS NULL)`.as('measures'),
        sql<number>`(SELECT count(*) FROM measures m WHERE m.programme_id = p.id AND m.deleted_at IS NULL AND m.status = 'done')`.as('done'),
        sql<number>`(SELECT count(*) FROM measures m WHERE m.programme_id = p.id AND m.deleted_at IS NULL AND m.date_to IS NULL)`.as('vague'),
        sql<number>`(SELECT count(*) FROM evidence e JOIN measures m ON m.id = e.measure_id WHERE m.programme_id = p.id AND m.deleted_at IS NULL AND e.deleted_at IS NULL)`.as('evidence'),
        sql<number>`(SELECT count(*) FROM evidence e JOIN measures m ON m.id = e.measure_id WHERE m.programme_id = p.id AND m.deleted_at IS NULL AND e.deleted_at IS NULL AND e.verdict = 'pending')`.as('evidence_pending'),
        sql<number>`(SELECT count(*) FROM evidence e JOIN measures m ON m.id = e.measure_id WHERE m.programme_id = p.id AND m.deleted_at IS NULL AND e.deleted_at IS NULL AND e.verdict = 'rework')`.as('evidence_rework'),
      ])
      .where('p.school_id', '=', schoolId)
      .where('p.deleted_at', 'is', null)
      .orderBy(sql`CASE p.kind WHEN 'concept' THEN 0 WHEN 'midterm' THEN 1 ELSE 2 END`)
      .orderBy('p.title'),
  );
  return rows;
}

function missingArps(store: Store, schoolId: string) {
  return store.all(
    qb
      .selectFrom('risk_profiles as rp')
      .innerJoin('risk_factors as f', 'f.id', 'rp.risk_factor_id')
      .select(['f.id as risk_factor_id', 'f.title', 'f.code'])
      .where('rp.school_id', '=', schoolId)
      .where('rp.activated', '=', 1)
      .where('rp.deleted_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('programmes as p')
              .select('p.id')
              .whereRef('p.risk_factor_id', '=', 'rp.risk_factor_id')
              .whereRef('p.school_id', '=', 'rp.school_id')
              .where('p.kind', '=', 'arp')
              .where('p.deleted_at', 'is', null),
          ),
        ),
      )
      .orderBy(naturally('f.code')),
  );
}

const measureCounts = [
  sql<number>`(SELECT count(*) FROM evidence e WHERE e.measure_id = m.id AND e.deleted_at IS NULL)`.as('evidence'),
  sql<number>`(SELECT count(*) FROM evidence e WHERE e.measure_id = m.id AND e.deleted_at IS NULL AND e.verdict = 'confirmed')`.as('confirmed'),
  sql<number>`(SELECT count(*) FROM evidence e WHERE e.measure_id = m.id AND e.deleted_at IS NULL AND e.verdict = 'pending')`.as('pending'),
  sql<number>`(SELECT count(*) FROM evidence e WHERE e.measure_id = m.id AND e.deleted_at IS NULL AND e.verdict = 'rework')`.as('rework'),
  sql<number>`(SELECT count(*) FROM comments c WHERE c.target_table = 'measures' AND c.target_id = m.id AND c.deleted_at IS NULL)`.as('comments'),
];

function roadmap(store: Store, programmeId: string): MeasureRow[] {
  return store.all(
    qb
      .selectFrom('measures as m')
      .leftJoin('programme_tasks as t', (j) => j.onRef('t.id', '=', 'm.task_id').on('t.deleted_at', 'is', null))
      .selectAll('m')
      .select(measureCounts)
      .where('m.programme_id', '=', programmeId)
      .where('m.deleted_at', 'is', null)
      .orderBy(sql`t.id IS NULL`)
      .orderBy('t.position')
      .orderBy('m.position'),
  );
}

/** Position right after `afterId` within its task (fractional, so nothing else moves), else at the end. */
function positionFor(store: Store, programmeId: string, taskId: string | null, afterId: string | null | undefined): number {
  const inTask = qb
    .selectFrom('measures')
    .where('programme_id', '=', programmeId)
    .where('deleted_at', 'is', null)
    .where((eb) => (taskId ? eb('task_id', '=', taskId) : eb('task_id', 'is', null)));
  if (afterId) {
    const after = getRow(store, 'measures', afterId);
    if (after && !after.deleted_at && after.programme_id === programmeId) {
      const next = store.first(inTask.select((eb) => eb.fn.min('position').as('p')).where('position', '>', after.position));
      return next?.p != null ? (after.position + Number(next.p)) / 2 : after.position + 1;
    }
  }
  const max = store.first(qb.selectFrom('measures').select((eb) => eb.fn.max('position').as('p')).where('programme_id', '=', programmeId));
  return (max?.p != null ? Number(max.p) : 0) + 1;
}

function evidenceRows(store: Store, dataDir: string, measureId: string): EvidenceRow[] {
  const rows = store.all(qb.selectFrom('evidence').selectAll().where('measure_id', '=', measureId).where('deleted_at', 'is', null).orderBy('uploaded_at'));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const history = store.all(qb.selectFrom('evidence_verdicts').selectAll().where('evidence_id', 'in', ids).where('deleted_at', 'is', null).orderBy('at'));
  const comments = store.all(
    qb
      .selectFrom('comments')
      .select(['target_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('target_table', '=', 'evidence')
      .where('target_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .groupBy('target_id'),
  );
  const names = new Map<string, string | null>();
  const nameOf = (id: string | null) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, personName(store, id));
    return names.get(id)!;
  };
  return rows.map((r) => ({
    ...r,
    uploaded_by_name: nameOf(r.uploaded_by),
    verdict_by_name: nameOf(r.verdict_by),
    file_present: r.file_sha256 ? fs.existsSync(blobPath(dataDir, r.file_sha256)) : false,
    history: history.filter((h) => h.evidence_id === r.id).map((h): VerdictRow => ({ ...h, by_name: nameOf(h.by_person_id) })),
    comments: comments.find((c) => c.target_id === r.id)?.n ?? 0,
  }));
}

export function createProgramme(
  store: Store,
  input: { school_id: string; kind: Row<'programmes'>['kind']; risk_factor_id: string | null; title: string; goal?: string | null; target_indicators?: string | null; period_from?: string | null; period_to?: string | null },
): Row<'programmes'> {
  return store.tx(() => {
    liveRow(store, 'schools', input.school_id, 'Школа не найдена');
    if (input.kind === 'arp') {
      if (!input.risk_factor_id) throw new AppError('validation', 'Проверьте выделенные поля', { risk_factor_id: 'Выберите фактор риска, на который отвечает АРП' });
      const factor = getRow(store, 'risk_factors', input.risk_factor_id);
      if (!factor || factor.deleted_at) throw new AppError('validation', 'Проверьте выделенные поля', { risk_factor_id: 'Такого фактора риска нет в справочнике' });
    }
    const duplicate = store.first(
      qb
        .selectFrom('programmes')
        .select('id')
        .where('school_id', '=', input.school_id)
        .where('kind', '=', input.kind)
        .where('deleted_at', 'is', null)
        .where((eb) => (input.kind === 'arp' ? eb('risk_factor_id', '=', input.risk_factor_id) : eb.lit(true))),
    );
    if (duplicate) {
      const msg = input.kind === 'arp' ? 'У школы уже есть АРП по этому фактору риска' : `У школы уже есть ${KIND_TITLES[input.kind].toLowerCase()}`;
      throw new AppError('duplicate', msg, { [input.kind === 'arp' ? 'risk_factor_id' : 'kind']: msg });
    }
    if (input.period_from && input.period_to && input.period_from > input.period_to) {
      throw new AppError('validation', 'Проверьте выделенные поля', { period_to: 'Окончание раньше начала' });
    }
    return insertRow(store, 'programmes', {
      school_id: input.school_id,
      kind: input.kind,
      risk_factor_id: input.kind === 'arp' ? input.risk_factor_id : null,
      title: input.title,
      goal: input.goal ?? null,
      target_indicators: input.target_indicators ?? null,
      period_from: input.period_from ?? null,
      period_to: input.period_to ?? null,
    });
  });
}

export function createMeasure(store: Store, input: { programme_id: string; task_id: string | null; after_id?: string | null; title: string; date_text: string } & Partial<Omit<Row<'measures'>, 'unplanned'>> & { unplanned?: boolean }): Row<'measures'> {
  return store.tx(() => {
    liveRow(store, 'programmes', input.programme_id, 'Программа не найдена');
    if (input.task_id) {
      const task = liveRow(store, 'programme_tasks', input.task_id, 'Задача не найдена');
      if (task.programme_id !== input.programme_id) throw new AppError('validation', 'Задача из другой программы.');
    }
    return insertRow(store, 'measures', {
      programme_id: input.programme_id,
      task_id: input.task_id,
      position: positionFor(store, input.programme_id, input.task_id, input.after_id),
      title: input.title,
      date_text: input.date_text,
      ...measureDates(input.date_text),
      responsible: input.responsible ?? null,
      participants: input.participants ?? null,
      indicator: input.indicator ?? null,
      expected_result: input.expected_result ?? null,
      unplanned: input.unplanned ?? false,
      status: input.status ?? 'planned',
    });
  });
}

export function addEvidence(
  store: Store,
  dataDir: string,
  input: { measure_id: string; title: string; kind: string; url: string | null; file?: { name: string; mime: string | null; data: string } | null; uploaded_by: string | null },
): Row<'evidence'> {
  liveRow(store, 'measures', input.measure_id, 'Мероприятие не найдено');
  // The file is written before the row: a failed write leaves no row pointing at nothing.
  const file = input.file ? { ...putBlob(store, dataDir, decodeBase64(input.file.data, input.file.name), input.file.mime, input.file.name), name: input.file.name, mime: input.file.mime } : null;
  return store.tx(() => {
    const now = new Date().toISOString();
    const row = insertRow(store, 'evidence', {
      measure_id: input.measure_id,
      title: input.title,
      kind: input.kind,
      url: input.url,
      file_sha256: file?.sha256 ?? null,
      file_name: file?.name ?? null,
      file_size: file?.size ?? null,
      mime: file?.mime ?? null,
      uploaded_by: input.uploaded_by,
      uploaded_at: now,
      verdict: 'pending',
    });
    insertRow(store, 'evidence_verdicts', { evidence_id: row.id, verdict: 'pending', comment: null, by_person_id: input.uploaded_by, at: now });
    return row;
  });
}

export function setVerdict(store: Store, input: { id: string; verdict: Row<'evidence'>['verdict']; comment: string | null; by_person_id: string | null }): Row<'evidence'> {
  return store.tx(() => {
    const ev = liveRow(store, 'evidence', input.id, 'Подтверждающий документ не найден');
    const check = checkVerdict(ev.verdict, input.verdict, input.comment);
    if (!check.ok) throw new AppError('verdict', check.message, check.field ? { [check.field]: check.message } : undefined);
    const at = new Date().toISOString();
    insertRow(store, 'evidence_verdicts', { evidence_id: ev.id, verdict: input.verdict, comment: input.comment, by_person_id: input.by_person_id, at });
    return updateRow(store, 'evidence', ev.id, { verdict: input.verdict, verdict_comment: input.comment, verdict_by: input.by_person_id, verdict_at: at });
  });
}

export const programmesHandlers: Handlers<typeof programmesContract> = {
  'programmes.schools': (_i, { store }) => {
    const districtId = currentDistrictId(store);
    return store.all(
      qb
        .selectFrom('schools as s')
        .select(['s.id', 's.short_name'])
        .select([
          sql<number>`(SELECT count(*) FROM programmes p WHERE p.school_id = s.id AND p.deleted_at IS NULL)`.as('programmes'),
          sql<number>`(SELECT count(*) FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE p.school_id = s.id AND p.deleted_at IS NULL AND m.deleted_at IS NULL)`.as('measures'),
          sql<number>`(SELECT count(*) FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE p.school_id = s.id AND p.deleted_at IS NULL AND m.deleted_at IS NULL AND m.date_to IS NULL)`.as('vague'),
          sql<number>`(SELECT count(*) FROM evidence e JOIN measures m ON m.id = e.measure_id JOIN programmes p ON p.id = m.programme_id
            WHERE p.school_id = s.id AND p.deleted_at IS NULL AND m.deleted_at IS NULL AND e.deleted_at IS NULL AND e.verdict = 'pending')`.as('evidence_pending'),
          sql<number>`(SELECT count(*) FROM risk_profiles rp WHERE rp.school_id = s.id AND rp.activated = 1 AND rp.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM programmes p WHERE p.school_id = s.id AND p.kind = 'arp' AND p.risk_factor_id = rp.risk_factor_id AND p.deleted_at IS NULL))`.as('missing_arps'),
        ])
        .where('s.district_id', '=', districtId)
        // Every participant, and any school with an activated risk factor: each of those needs an АРП.
        .where((eb) =>
          eb.or([
            eb('s.is_participant', '=', 1),
            eb.exists(eb.selectFrom('risk_profiles as rp').select('rp.id').whereRef('rp.school_id', '=', 's.id').where('rp.activated', '=', 1).where('rp.deleted_at', 'is', null)),
          ]),
        )
        .where('s.deleted_at', 'is', null)
        .orderBy(naturally('s.short_name')),
    );
  },

  'programmes.forSchool': ({ school_id }, { store }) => ({
    school: schoolHead(store, school_id),
    programmes: summaries(store, school_id),
    missingArps: missingArps(store, school_id),
  }),

  'programmes.get': ({ id }, { store }) => {
    const programme = liveRow(store, 'programmes', id, 'Программа не найдена');
    const factor = programme.risk_factor_id ? getRow(store, 'risk_factors', programme.risk_factor_id) : undefined;
    return {
      programme,
      school: schoolHead(store, programme.school_id),
      risk_factor_title: factor?.title ?? null,
      tasks: store.all(qb.selectFrom('programme_tasks').selectAll().where('programme_id', '=', id).where('deleted_at', 'is', null).orderBy('position')),
      measures: roadmap(store, id),
      comments:
        store.first(
          qb.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('target_table', '=', 'programmes').where('target_id', '=', id).where('deleted_at', 'is', null),
        )?.n ?? 0,
    };
  },

  'programmes.create': (input, { store }) => createProgramme(store, input),

  'programmes.createMissingArps': ({ school_id }, { store }) =>
    store.tx(() => missingArps(store, school_id).map((f) => createProgramme(store, { school_id, kind: 'arp', risk_factor_id: f.risk_factor_id, title: arpTitle(f.title) }))),

  'programmes.update': ({ id, patch }, { store }) => {
    const current = liveRow(store, 'programmes', id, 'Программа не найдена');
    const from = patch.period_from !== undefined ? patch.period_from : current.period_from;
    const to = patch.period_to !== undefined ? patch.period_to : current.period_to;
    if (from && to && from > to) throw new AppError('validation', 'Проверьте выделенные поля', { period_to: 'Окончание раньше начала' });
    return updateRow(store, 'programmes', id, patch);
  },

  'programmes.delete': ({ id }, { store }) => {
    liveRow(store, 'programmes', id, 'Программа не найдена');
    softDelete(store, 'programmes', id);
    return null;
  },

  'programmeTasks.create': ({ programme_id, title }, { store }) =>
    store.tx(() => {
      liveRow(store, 'programmes', programme_id, 'Программа не найдена');
      const max = store.first(qb.selectFrom('programme_tasks').select((eb) => eb.fn.max('position').as('p')).where('programme_id', '=', programme_id));
      return insertRow(store, 'programme_tasks', { programme_id, title, position: (max?.p != null ? Number(max.p) : 0) + 1 });
    }),

  'programmeTasks.update': ({ id, title }, { store }) => {
    liveRow(store, 'programme_tasks', id, 'Задача не найдена');
    return updateRow(store, 'programme_tasks', id, { title });
  },

  'programmeTasks.delete': ({ id }, { store }) => {
    liveRow(store, 'programme_tasks', id, 'Задача не найдена');
    const n = store.first(qb.selectFrom('measures').select((eb) => eb.fn.countAll<number>().as('n')).where('task_id', '=', id).where('deleted_at', 'is', null))?.n ?? 0;
    if (n > 0) throw new AppError('task_not_empty', `В задаче ${countOf(n, ['мероприятие', 'мероприятия', 'мероприятий'])}: сначала удалите их или перенесите в другую задачу.`);
    softDelete(store, 'programme_tasks', id);
    return null;
  },

  'measures.create': (input, { store }) => createMeasure(store, input),

  'measures.update': ({ id, patch }, { store }) =>
    store.tx(() => {
      const current = liveRow(store, 'measures', id, 'Мероприятие не найдено');
      if (patch.task_id) {
        const task = liveRow(store, 'programme_tasks', patch.task_id, 'Задача не найдена');
        if (task.programme_id !== current.programme_id) throw new AppError('validation', 'Задача из другой программы.', { task_id: 'Задача из другой программы' });
      }
      const dates = patch.date_text !== undefined ? measureDates(patch.date_text) : {};
      return updateRow(store, 'measures', id, { ...patch, ...dates });
    }),

  'measures.delete': ({ id }, { store }) => {
    liveRow(store, 'measures', id, 'Мероприятие не найдено');
    softDelete(store, 'measures', id);
    return null;
  },

  'measures.byStatusDue': (q, { store }) => {
    let query = qb
      .selectFrom('measures as m')
      .innerJoin('programmes as p', 'p.id', 'm.programme_id')
      .innerJoin('schools as s', 's.id', 'p.school_id')
      .select(['m.id', 'm.title', 'm.date_text', 'm.date_to', 'm.status', 'm.programme_id', 'p.title as programme_title', 's.id as school_id', 's.short_name as school_name'])
      .where('m.deleted_at', 'is', null)
      .where('p.deleted_at', 'is', null)
      .where('s.deleted_at', 'is', null);
    if (q.status) query = query.where('m.status', '=', q.status);
    if (q.due_from) query = query.where('m.date_to', '>=', q.due_from);
    if (q.due_to) query = query.where('m.date_to', '<=', q.due_to);
    if (q.school_id) query = query.where('p.school_id', '=', q.school_id);
    return store.all(query.orderBy('m.date_to').orderBy('m.id').limit(q.limit));
  },

  'evidence.list': ({ measure_id }, { store, dataDir }) => evidenceRows(store, dataDir, measure_id),

  'evidence.add': (input, { store, dataDir }) => addEvidence(store, dataDir, { ...input, uploaded_by: signedInPerson(store) }),

  'evidence.update': ({ id, patch }, { store }) => {
    const ev = liveRow(store, 'evidence', id, 'Подтверждающий документ не найден');
    if (patch.url === null && !ev.file_sha256) throw new AppError('validation', 'Проверьте выделенные поля', { url: 'Без файла нужна ссылка' });
    return updateRow(store, 'evidence', id, patch);
  },

  'evidence.delete': ({ id }, { store }) => {
    liveRow(store, 'evidence', id, 'Подтверждающий документ не найден');
    softDelete(store, 'evidence', id);
    return null;
  },

  'evidence.download': ({ id }, { store, dataDir }) => {
    const ev = liveRow(store, 'evidence', id, 'Подтверждающий документ не найден');
    if (!ev.file_sha256) throw new AppError('no_file', 'У этого документа нет файла, только ссылка.');
    const name = ev.file_name ?? 'файл';
    const bytes = readBlob(dataDir, ev.file_sha256, name, store.dataKey);
    return { name, mime: ev.mime, size: bytes.length, data: bytes.toString('base64') };
  },

  'evidence.setVerdict': (input, { store }) => setVerdict(store, { ...input, by_person_id: signedInPerson(store) }),

  'comments.list': ({ target_table, target_id }, { store }) => {
    const rows = store.all(
      qb
        .selectFrom('comments as c')
        .leftJoin('people as p', 'p.id', 'c.author_id')
        .selectAll('c')
        .select(['p.last_name', 'p.first_name', 'p.middle_name'])
        .where('c.target_table', '=', target_table)
        .where('c.target_id', '=', target_id)
        .where('c.deleted_at', 'is', null)
        .orderBy('c.created_at'),
    );
    return rows.map(({ last_name, first_name, middle_name, ...c }): CommentRow => ({
      ...c,
      author_name: last_name ? personShort({ last_name, first_name: first_name ?? '', middle_name }) : null,
    }));
  },

  'comments.add': ({ target_table, target_id, body }, { store }) => {
    const target = getRow(store, target_table, target_id);
    if (!target || target.deleted_at) throw new AppError('not_found', 'Комментировать нечего: запись удалена.');
    return insertRow(store, 'comments', { target_table, target_id, body, author_id: signedInPerson(store) });
  },
};
