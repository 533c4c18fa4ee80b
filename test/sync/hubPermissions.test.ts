/**
 * The hub checks every change of a pushed package against the permissions table (issue 10):
 * forged packages, built with the real package builder and signed with the device's real key,
 * are refused change by change — a curator's verdict on another curator's school, a viewer's
 * edit, a change claiming another author, a curator editing people or orders — while the
 * same package's allowed changes apply; the refusals come back to the laptop (even after a
 * lost reply) and show in its sync state; a device enrolled before accounts still syncs.
 * Accounts and bindings are inserted into the hub's tables directly (issuing and binding are
 * the region’s and coordinator’s calls, tested with them). On SQLite and on PostgreSQL.
 */
import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { replicaOf } from '../../db/replica';
import type { Role } from '../../core/rules/permissions';
import type { SqlValue } from '../../db/write';
import { insertRow } from '../../db/write';
import type { WireChange } from '../../core/sync/apply';
import { syncState } from '../../core/sync/client';
import { deviceKeys, enrolment } from '../../core/sync/local.node';
import { sealEnvelope } from '../../core/sync/envelope.node';
import { buildPackage } from '../../core/sync/package.node';
import { UNCONFIRMED_AUTHOR } from '../../server/changeCheck';
import type { DistrictRole } from '../../server/schema';
import { enrol, exchange, importInto, makeHub, makeLaptop, syncFully, type Laptop, type TestHub } from './helpers';
import { startPostgres, type PgCluster } from './pgcluster';

let th: TestHub;
let districtId: string;
/** The coordinator's laptop, which made the district's data. */
let a: Laptop;
/** Curator 1's laptop. */
let b: Laptop;
/** A viewer's laptop. */
let v: Laptop;
/** A laptop enrolled before accounts: no account bound. */
let legacy: Laptop;

const ids = {
  coordinator: '',
  curator1: '',
  curator2: '',
  viewer: '',
  own: '',
  others: '',
  measureOwn: '',
  measureOthers: '',
  evidenceOwn: '',
  evidenceOthers: '',
};
const ACCOUNT = { coordinator: 'acc-coordinator', curator1: 'acc-curator-1', viewer: 'acc-viewer' } as const;

async function addAccount(id: string, role: DistrictRole, personId: string, laptop: Laptop): Promise<void> {
  const now = new Date().toISOString();
  await th.hub.db.insertInto('accounts').values({ id, district_id: districtId, person_id: personId, role, created_at: now, revoked_at: null }).execute();
  await th.hub.db.insertInto('account_devices').values({ account_id: id, device_id: replicaOf(laptop.store).deviceId, bound_at: now }).execute();
}

const signIn = (laptop: Laptop, accountId: string, personId: string, role: Role) => {
  laptop.store.session = { accountId, personId, role, name: accountId };
};

/** A change as the laptop's own log would carry it: its next seq and clock, whatever the handlers would have allowed. */
function forged(laptop: Laptop, t: string, v: Record<string, SqlValue>, opts: { r?: string; a?: string } = {}): WireChange {
  const replica = replicaOf(laptop.store);
  const now = new Date().toISOString();
  const q = replica.nextSeq++;
  const c: WireChange = { d: replica.deviceId, q, h: replica.clock.tick(), t, r: opts.r ?? uuidv7(), v: opts.r ? { ...v, updated_at: now } : { created_at: now, updated_at: now, deleted_at: null, ...v } };
  if (opts.a) c.a = opts.a;
  return c;
}

/** A package of `changes` from the laptop, signed with its key, as buildOutgoing would make it. */
function packageOf(laptop: Laptop, changes: WireChange[]): Uint8Array {
  const e = enrolment(laptop.store)!;
  const signed = buildPackage(
    {
      schema: LATEST_SCHEMA_VERSION,
      minReaderSchema: 1,
      id: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      sender: { device: replicaOf(laptop.store).deviceId, district: e.district, role: 'device' },
      recipient: null,
      cursor: 0,
      hub: null,
      ack: null,
    },
    changes,
    [],
    deviceKeys(laptop.store).privateKey,
  );
  return e.hubEncKey ? sealEnvelope(signed, e.hubEncKey) : signed;
}

const storedSeqs = async (laptop: Laptop) =>
  (await th.hub.db.selectFrom('changes').select('device_seq').where('device_id', '=', replicaOf(laptop.store).deviceId).orderBy('device_seq').execute()).map((r) => Number(r.device_seq));
const refusedRows = async (laptop: Laptop) =>
  (await th.hub.db.selectFrom('refused_changes').selectAll().where('device_id', '=', replicaOf(laptop.store).deviceId).orderBy('device_seq').execute()).map((r) => ({
    q: Number(r.device_seq),
    account: r.account_id,
    reason: r.reason,
  }));

async function setUp(databaseUrl?: string): Promise<void> {
  th = await makeHub(databaseUrl);
  districtId = (await th.hub.createDistrict('Район А')).id;
  a = makeLaptop('coordinator');
  b = makeLaptop('curator');
  v = makeLaptop('viewer');
  legacy = makeLaptop('legacy');
  for (const l of [a, b, v, legacy]) await enrol(th.hub, l, districtId);
  // Enrolment binds an account to the laptop now; a device enrolled before accounts has none.
  await th.hub.db.deleteFrom('account_devices').where('device_id', '=', replicaOf(legacy.store).deviceId).execute();

  // The coordinator's data: two schools, each with its curator, a programme, a measure and a document.
  const s = a.store;
  const person = (last_name: string, role: 'coordinator' | 'curator' | 'viewer', id?: string) =>
    insertRow(s, 'people', {
      id,
      district_id: 'd',
      last_name,
      first_name: 'Имя',
      is_coordinator: role === 'coordinator',
      is_curator: role === 'curator',
      is_school_coordinator: role === 'viewer',
      is_director: false,
    }).id;
  // Signed in before the first write: every change of the district carries its author.
  ids.coordinator = uuidv7();
  signIn(a, ACCOUNT.coordinator, ids.coordinator, 'coordinator');
  person('Координатор', 'coordinator', ids.coordinator);
  ids.curator1 = person('Первый', 'curator');
  ids.curator2 = person('Второй', 'curator');
  ids.viewer = person('Наблюдатель', 'viewer');
  const school = (short_name: string) =>
    insertRow(s, 'schools', { district_id: 'd', full_name: short_name, short_name, kind: 'СОШ', is_participant: true, stage: 'forming' }).id;
  ids.own = school('Своя');
  ids.others = school('Чужая');
  insertRow(s, 'curator_assignments', { curator_id: ids.curator1, school_id: ids.own, date_from: '2020-01-01', date_to: null });
  insertRow(s, 'curator_assignments', { curator_id: ids.curator2, school_id: ids.others, date_from: '2020-01-01', date_to: null });
  for (const [schoolId, m, ev] of [
    [ids.own, 'measureOwn', 'evidenceOwn'],
    [ids.others, 'measureOthers', 'evidenceOthers'],
  ] as const) {
    const p = insertRow(s, 'programmes', { school_id: schoolId, kind: 'concept', title: 'Концепция' }).id;
    ids[m] = insertRow(s, 'measures', { programme_id: p, position: 1, title: 'Мероприятие', date_text: 'май', unplanned: false, status: 'planned' }).id;
    ids[ev] = insertRow(s, 'evidence', { measure_id: ids[m], title: 'Протокол', kind: 'link', url: 'https://example.ru/p', uploaded_at: '2024-05-01', verdict: 'pending' }).id;
  }
  await addAccount(ACCOUNT.coordinator, 'coordinator', ids.coordinator, a);
  await addAccount(ACCOUNT.curator1, 'curator', ids.curator1, b);
  await addAccount(ACCOUNT.viewer, 'viewer', ids.viewer, v);
  await syncFully(th.hub, a);
  for (const l of [b, v, legacy]) await syncFully(th.hub, l);
}

function suite(dialect: string, url: () => string | undefined) {
  describe(`the hub checks every change of a package (${dialect})`, () => {
    beforeAll(() => setUp(url()), 60_000);
    afterAll(() => th?.close());

    it('the coordinator’s own changes were all accepted, with their author stored and relayed', async () => {
      expect(await refusedRows(a)).toEqual([]);
      const authors = await th.hub.db.selectFrom('changes').select('author').distinct().where('device_id', '=', replicaOf(a.store).deviceId).execute();
      expect(authors).toEqual([{ author: ACCOUNT.coordinator }]);
      // The curator's laptop keeps the author of what it applied.
      const kept = b.store.sqlite.prepare('SELECT DISTINCT author FROM changes WHERE device_id = ?').all(replicaOf(a.store).deviceId);
      expect(kept).toEqual([{ author: ACCOUNT.coordinator }]);
    });

    it('refuses a curator’s forged changes one by one and applies the allowed ones of the same package', async () => {
      const at = new Date().toISOString();
      const verdict = (evidence_id: string, by: string) => ({ evidence_id, verdict: 'confirmed', comment: null, by_person_id: by, at });
      const ok1 = forged(b, 'evidence_verdicts', verdict(ids.evidenceOwn, ids.curator1), { a: ACCOUNT.curator1 });
      const otherSchool = forged(b, 'evidence_verdicts', verdict(ids.evidenceOthers, ids.curator1), { a: ACCOUNT.curator1 });
      const otherAuthor = forged(b, 'evidence_verdicts', verdict(ids.evidenceOwn, ids.curator2), { a: ACCOUNT.curator1 });
      const otherAccount = forged(b, 'comments', { target_table: 'measures', target_id: ids.measureOwn, author_id: ids.coordinator, body: 'от имени координатора' }, { a: ACCOUNT.coordinator });
      const noAuthor = forged(b, 'comments', { target_table: 'measures', target_id: ids.measureOwn, author_id: ids.curator1, body: 'без автора' });
      const people = forged(b, 'people', { last_name: 'Самозванов' }, { r: ids.curator2, a: ACCOUNT.curator1 });
      const order = forged(b, 'orders', { district_id: 'd', number: '1', date: '2024-01-01', issuer: null, title: 'Приказ' }, { a: ACCOUNT.curator1 });
      const ok2 = forged(b, 'comments', { target_table: 'measures', target_id: ids.measureOwn, author_id: ids.curator1, body: 'по своей школе' }, { a: ACCOUNT.curator1 });
      // A measure the package creates in the own school, then a document under it: the second is judged on the first.
      const newMeasure = forged(b, 'measures', { programme_id: programmeOf(ids.measureOwn), position: 2, title: 'Новое', date_text: 'июнь', unplanned: 1, status: 'planned' }, { a: ACCOUNT.curator1 });
      const underNew = forged(b, 'evidence', { measure_id: newMeasure.r, title: 'Фото', kind: 'link', url: 'https://example.ru/f', uploaded_by: ids.curator1, uploaded_at: at, verdict: 'pending' }, { a: ACCOUNT.curator1 });
      const pkg = [ok1, otherSchool, otherAuthor, otherAccount, noAuthor, people, order, ok2, newMeasure, underNew];

      const reply = await th.hub.push(packageOf(b, pkg));

      expect(await refusedRows(b)).toEqual([
        { q: otherSchool.q, account: ACCOUNT.curator1, reason: expect.stringMatching(/только по своим школам, а .* эта школа за вами не закреплена/) },
        { q: otherAuthor.q, account: ACCOUNT.curator1, reason: expect.stringMatching(/автором указан другой человек/) },
        { q: otherAccount.q, account: ACCOUNT.coordinator, reason: UNCONFIRMED_AUTHOR },
        { q: noAuthor.q, account: null, reason: UNCONFIRMED_AUTHOR },
        { q: people.q, account: ACCOUNT.curator1, reason: 'Изменять список людей и их роли может только муниципальный координатор.' },
        { q: order.q, account: ACCOUNT.curator1, reason: 'Вносить приказы может только муниципальный координатор.' },
      ]);
      const stored = await storedSeqs(b);
      expect(stored).toEqual([ok1.q, ok2.q, newMeasure.q, underNew.q]);

      // The laptop learns the refusals from the reply and counts the refused seqs as handled.
      importInto(b, reply);
      const state = syncState(b.store);
      expect(state.refusals.map((r) => [r.seq, r.table, r.rowId])).toEqual(
        [otherSchool, otherAuthor, otherAccount, noAuthor, people, order].reverse().map((c) => [c.q, c.t, c.r]),
      );
      expect(state.refusals[0]!.reason).toBe('Вносить приказы может только муниципальный координатор.');

      // The other laptops get the allowed changes only.
      await syncFully(th.hub, a);
      const fromB = a.store.sqlite.prepare('SELECT device_seq AS q, author FROM changes WHERE device_id = ? ORDER BY device_seq').all(replicaOf(b.store).deviceId);
      expect(fromB).toEqual([ok1, ok2, newMeasure, underNew].map((c) => ({ q: c.q, author: ACCOUNT.curator1 })));
      expect(a.store.sqlite.prepare("SELECT last_name FROM people WHERE id = ?").get(ids.curator2)).toEqual({ last_name: 'Второй' });
      expect(a.store.sqlite.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
    });

    it('refuses a viewer’s edit', async () => {
      const edit = forged(v, 'measures', { title: 'Исправлено наблюдателем' }, { r: ids.measureOwn, a: ACCOUNT.viewer });
      importInto(v, await th.hub.push(packageOf(v, [edit])));
      expect(await storedSeqs(v)).toEqual([]);
      expect(syncState(v.store).refusals.map((r) => r.reason)).toEqual([
        'Изменять программы, мероприятия и подтверждающие документы могут только муниципальный координатор и куратор (по своим школам).',
      ]);
    });

    it('a refusal reaches the laptop even when the reply is lost, and the change is not sent again', async () => {
      // Written on the curator's laptop under an account the hub never bound to it.
      signIn(b, ACCOUNT.coordinator, ids.coordinator, 'coordinator');
      const row = insertRow(b.store, 'schools', { district_id: 'd', full_name: 'Подложная', short_name: 'П', kind: 'СОШ', is_participant: true, stage: 'forming' });
      b.store.session = null;
      const seq = replicaOf(b.store).nextSeq - 1;
      await exchange(th.hub, b); // the reply is lost
      expect(syncState(b.store).refusals.map((r) => r.seq)).not.toContain(seq);
      importInto(b, await exchange(th.hub, b));
      const state = syncState(b.store);
      expect(state.refusals[0]).toMatchObject({ seq, table: 'schools', rowId: row.id, reason: UNCONFIRMED_AUTHOR });
      expect(state.pending).toBe(0);
    });

    it('a device enrolled before accounts (none bound) still syncs its changes without authors', async () => {
      const row = insertRow(legacy.store, 'schools', { district_id: 'd', full_name: 'Старая', short_name: 'С', kind: 'СОШ', is_participant: true, stage: 'forming' });
      importInto(legacy, await exchange(th.hub, legacy));
      expect(await refusedRows(legacy)).toEqual([]);
      expect(syncState(legacy.store).refusals).toEqual([]);
      await syncFully(th.hub, a);
      expect(a.store.sqlite.prepare('SELECT short_name FROM schools WHERE id = ?').get(row.id)).toEqual({ short_name: 'С' });
    });

    it('a legacy device’s change that names an author is refused: the author must be bound to the device', async () => {
      const c = forged(legacy, 'comments', { target_table: 'measures', target_id: ids.measureOwn, author_id: ids.curator1, body: 'чужое имя' }, { a: ACCOUNT.curator1 });
      await th.hub.push(packageOf(legacy, [c]));
      expect(await refusedRows(legacy)).toEqual([{ q: c.q, account: ACCOUNT.curator1, reason: UNCONFIRMED_AUTHOR }]);
    });
  });
}

let pg: PgCluster;
suite('SQLite', () => undefined);
describe('on PostgreSQL', () => {
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(() => pg?.stop());
  suite('PostgreSQL', () => pg.url);
});

function programmeOf(measureId: string): string {
  return (a.store.sqlite.prepare('SELECT programme_id FROM measures WHERE id = ?').get(measureId) as { programme_id: string }).programme_id;
}
