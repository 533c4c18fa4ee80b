/**
 * The regional hub: districts, enrolment, devices, and the change relay. It accepts a
 * device's package (the same bytes as a USB file), stamps each new change with its own
 * sequence, and answers with a package of everything after the device's cursor for its
 * district plus the region's reference data.
 *
 * Authorisation: a package is authenticated by its signature with the registered key of
 * its sender; the sender must be enrolled, not revoked, in the district it claims; it may
 * carry only its own changes and never the region's tables.
 */
import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { sql } from 'kysely';
import { HlcClock, hlcMs, isDeviceId, unpackHlc } from '../db/hlc';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { REGION_TABLES, SYNCED_TABLES } from '../db/schema';
import type { WireChange } from '../core/sync/apply';
import { blobsFor, saveBlobs } from '../core/sync/local.node';
import { couldBeMassDeletion, massDeletionMessage } from '../core/rules/massDelete';
import { CLOCK_AHEAD_LIMIT_MS, clockAheadMessage } from '../core/rules/clock';
import { readEnrolRequest } from '../core/sync/enrolFile.node';
import { BAD_KEY_MESSAGE, ed25519PublicKey } from '../core/sync/deviceKey.node';
import { generateEncKeys, isEnvelope, openEnvelopeAsync, sealEnvelope, x25519PublicKey } from '../core/sync/envelope.node';
import { buildPackage, changeProblem, openPackageOffThread, SyncRefusal, verifyPackage, type Manifest } from '../core/sync/package.node';
import type { SqlValue } from '../db/write';
import type { HubStorage } from './db';
import { readModelOf } from './readModel';
import { checkPermissions, sortByAuthor, type RefusedChange } from './changeCheck';
import { codeHash } from '../core/accounts/codes.node';
import { AccountRefusal, bindWithCode, issueByCoordinator, maxAuthorless, settleAnnounced, storeCode, storeCodesFromPackage } from './accounts';
import type { DistrictRole } from './schema';

/** A refusal the HTTP layer turns into a status code and a Russian message. */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const REPLY_LIMIT = 5000;

/**
 * A reply in pieces (the chunked HTTP exchange, core/sync/client.ts): at most `limit` changes,
 * and with `blobs: false` no attachments, which then travel on their own resumable route
 * (server/blobTransfer.ts).
 */
export interface ReplyOptions {
  limit?: number;
  blobs?: boolean;
}

/** The district id under which the region's reference data is stored for every district. */
export const REGION_STREAM = '';
const REGION = new Set<string>(REGION_TABLES);
/** hub_meta: the newest schema a device's package declared (see newestSchema). */
const NEWEST_SCHEMA = 'sync.newest_schema';

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface HubIdentity {
  device: string;
  publicKey: string;
  privateKey: string;
  /** The X25519 pair packages to the hub are sealed to (core/sync/envelope.node.ts). */
  encPublicKey: string;
  encPrivateKey: string;
  adminToken: string;
}

export class Hub {
  private clock!: HlcClock;
  private seq = 0;
  /** Serialises the hub's own reference-data writes (its seq and clock). */
  private authoring: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly storage: HubStorage,
    readonly dataDir: string,
    readonly identity: HubIdentity,
  ) {}

  static async open(storage: HubStorage, dataDir: string): Promise<Hub> {
    const db = storage.db;
    const get = async (key: string) => (await db.selectFrom('hub_meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
    const put = (key: string, value: string) =>
      db.insertInto('hub_meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    let device = await get('device_id');
    if (!device) {
      const pair = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      device = `hub-${uuidv7()}`;
      await put('private_key', pair.privateKey);
      await put('public_key', pair.publicKey);
      await put('device_id', device);
    }
    // A hub made before packages were sealed gets its encryption pair on its first start since.
    if (!(await get('enc_public_key'))) {
      const enc = generateEncKeys();
      await put('enc_private_key', enc.privateKey);
      await put('enc_public_key', enc.publicKey);
    }
    // The admin token lives in the data folder (readable by whoever runs the server) and only its hash in the database.
    const tokenFile = path.join(dataDir, 'admin-token.txt');
    let adminToken: string;
    if (fs.existsSync(tokenFile)) adminToken = fs.readFileSync(tokenFile, 'utf8').trim();
    else {
      adminToken = randomBytes(24).toString('base64url');
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(tokenFile, adminToken + '\n', { mode: 0o600 });
    }
    await put('admin_token_hash', hash(adminToken));
    const hub = new Hub(storage, dataDir, {
      device,
      publicKey: (await get('public_key'))!,
      privateKey: (await get('private_key'))!,
      encPublicKey: (await get('enc_public_key'))!,
      encPrivateKey: (await get('enc_private_key'))!,
      adminToken,
    });
    const last = await db.selectFrom('changes').select(['hlc', 'device_seq']).where('device_id', '=', device).orderBy('device_seq', 'desc').limit(1).executeTakeFirst();
    hub.seq = last ? Number(last.device_seq) : 0;
    hub.clock = new HlcClock(last ? { ...unpackHlc(last.hlc), device } : { ms: 0, counter: 0, device });
    return hub;
  }

  get db() {
    return this.storage.db;
  }

  get blobDir(): string {
    return path.join(this.dataDir, 'blobs');
  }

  isAdmin(token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(hash(token));
    const b = Buffer.from(hash(this.identity.adminToken));
    return timingSafeEqual(a, b);
  }

  // ---- region administration ----

  async createDistrict(name: string): Promise<{ id: string; name: string }> {
    const d = { id: uuidv7(), name, data_district_id: null, created_at: new Date().toISOString() };
    await this.db.insertInto('districts').values(d).execute();
    return { id: d.id, name };
  }

  async listDistricts() {
    return this.db.selectFrom('districts').selectAll().orderBy('name').execute();
  }

  async district(id: string) {
    const d = await this.db.selectFrom('districts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!d) throw new HubError(404, 'no_district', 'Район не найден.');
    return d;
  }

  /** The region's one-time code for a district's coordinator (server/accounts.ts); only its hash is stored. */
  async createCode(districtId: string): Promise<{ code: string; expiresAt: string }> {
    await this.district(districtId);
    return storeCode(this.db, { districtId, role: 'coordinator', personId: null, accountId: null });
  }

  /** A code the district's coordinator issues from a bound laptop for a person of the district. */
  async issueAccountCode(deviceId: string, input: { requester: string; personId: string; role: string }): Promise<{ code: string; expiresAt: string }> {
    const device = await this.activeDevice(deviceId);
    try {
      return await issueByCoordinator(this.db, { device, ...input });
    } catch (e) {
      throw e instanceof AccountRefusal ? new HubError(e.status, e.code, e.message) : e;
    }
  }

  /** Binds another account to an enrolled laptop (a shared laptop, a forgotten password) with a code issued for it. */
  async bindAccount(deviceId: string, input: { code: string; accountId: string | null }): Promise<{ accountId: string; personId: string | null; role: DistrictRole }> {
    const device = await this.activeDevice(deviceId);
    const codeHashed = codeHash(input.code);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const code = await this.usableCode(tx, codeHashed);
        if (code.district_id !== device.district_id) throw new HubError(403, 'foreign_district', 'Этот код выдан для другого района.');
        const bound = await bindWithCode(tx, code, { device: device.id, accountId: input.accountId, personId: null });
        await tx.updateTable('enrol_codes').set({ used_at: new Date().toISOString(), used_by: device.id }).where('code_hash', '=', codeHashed).execute();
        return bound;
      });
    } catch (e) {
      throw e instanceof AccountRefusal ? new HubError(e.status, e.code, e.message) : e;
    }
  }

  /** An enrolment code that exists, is unused and not expired; refused in Russian otherwise. */
  private async usableCode(tx: Pick<HubStorage['db'], 'selectFrom'>, codeHashed: string) {
    const code = await tx.selectFrom('enrol_codes').selectAll().where('code_hash', '=', codeHashed).executeTakeFirst();
    if (!code) throw new HubError(403, 'bad_code', 'Код подключения неверен. Проверьте его или попросите новый у координатора или администратора региона.');
    if (code.used_at) throw new HubError(403, 'used_code', 'Этот код подключения уже использован: попросите новый.');
    if (code.expires_at < new Date().toISOString()) throw new HubError(403, 'expired_code', 'Срок действия кода подключения истёк: попросите новый.');
    return code;
  }

  async listDevices(districtId: string) {
    await this.district(districtId);
    return this.db.selectFrom('devices').select(['id', 'name', 'enrolled_at', 'revoked_at', 'last_seen_at', 'cursor']).where('district_id', '=', districtId).orderBy('enrolled_at').execute();
  }

  async revokeDevice(deviceId: string): Promise<void> {
    const r = await this.db.updateTable('devices').set({ revoked_at: new Date().toISOString() }).where('id', '=', deviceId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new HubError(404, 'no_device', 'Устройство не найдено или уже отключено.');
  }

  /** The region this hub serves, as published to every district (null until named). */
  async region(): Promise<{ id: string; name: string } | null> {
    const rows = await this.db.selectFrom('hub_meta').select(['key', 'value']).where('key', 'in', ['region_id', 'region_name']).execute();
    const v = new Map(rows.map((r) => [r.key, r.value]));
    return v.get('region_id') && v.get('region_name') ? { id: v.get('region_id')!, name: v.get('region_name')! } : null;
  }

  /**
   * Names the region (first start, `--region`, or the admin route) and publishes its
   * `regions` row as reference data, so a laptop that joins a district shows its region.
   */
  async setRegion(name: string): Promise<{ id: string; name: string }> {
    const trimmed = name.trim();
    if (!trimmed) throw new HubError(400, 'validation', 'Укажите название региона.');
    const current = await this.region();
    if (current?.name === trimmed) return current;
    const id = current?.id ?? uuidv7();
    await this.publishReference('regions', [{ id, name: trimmed }]);
    for (const [key, value] of [['region_id', id], ['region_name', trimmed]] as const) {
      await this.db.insertInto('hub_meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    }
    return { id, name: trimmed };
  }

  /** Publishes region reference rows (upserts of whole rows) to every district. */
  async publishReference(table: string, rows: Record<string, SqlValue>[]): Promise<number> {
    if (!REGION.has(table)) throw new HubError(400, 'not_region_table', `Таблица ${table} не относится к справочникам региона.`);
    const now = new Date().toISOString();
    const prepared = rows.map((row) => {
      const v: Record<string, SqlValue> = { created_at: now, updated_at: now, deleted_at: null, ...row };
      delete v.id;
      return { id: typeof row.id === 'string' ? row.id : uuidv7(), v };
    });
    // Every laptop checks each change the hub relays (package.node.ts): a row they would refuse
    // would block every district's sync, so it is refused here, before it is stored.
    prepared.forEach(({ id, v }, i) => {
      const problem = changeProblem({ d: this.identity.device, q: 1, h: this.clock.current(), t: table, r: id, v }, false);
      if (problem) throw new HubError(400, problem.reason, `Строка ${i + 1} справочника ${table}: ${problem.detail}.`);
    });
    const run = async () => {
      const values = prepared.map(({ id, v }) => {
        this.seq += 1;
        return { district_id: REGION_STREAM, device_id: this.identity.device, device_seq: this.seq, hlc: this.clock.tick(), tbl: table, row_id: id, data: JSON.stringify(v), meta: null };
      });
      if (values.length) {
        await this.db.transaction().execute(async (tx) => {
          if (this.storage.dialect === 'postgres') await sql`LOCK TABLE changes IN EXCLUSIVE MODE`.execute(tx);
          await tx.insertInto('changes').values(values).execute();
        });
      }
      return values.length;
    };
    const p = this.authoring.then(run, run);
    this.authoring = p.catch(() => undefined);
    return p;
  }

  // ---- devices ----

  async enrol(input: {
    code: string;
    device: string;
    publicKey: string;
    encKey?: string;
    name: string;
    dataDistrictId: string | null;
    account?: { id: string; personId: string | null };
    historyUpto?: number;
  }) {
    // Checked before the code is looked at: a refused enrolment must leave the one-time code usable.
    if (!isDeviceId(input.device)) throw new HubError(400, 'bad_device', 'Идентификатор устройства неверен: допустимы буквы, цифры, «-» и «_», не больше 100 знаков. Код подключения остаётся действительным.');
    const publicKey = ed25519PublicKey(input.publicKey);
    if (!publicKey) throw new HubError(400, 'bad_key', BAD_KEY_MESSAGE);
    const encKey = input.encKey === undefined ? null : x25519PublicKey(input.encKey);
    if (input.encKey !== undefined && !encKey) throw new HubError(400, 'bad_key', BAD_ENC_KEY_MESSAGE);
    const codeHashed = codeHash(input.code);
    return this.db.transaction().execute(async (tx) => {
      const code = await this.usableCode(tx, codeHashed);
      const existing = await tx.selectFrom('devices').select('id').where('id', '=', input.device).executeTakeFirst();
      if (existing) throw new HubError(409, 'device_exists', 'Это устройство уже подключено. Если ключ утерян, администратор должен отключить его и выдать новый код.');
      const district = await tx.selectFrom('districts').selectAll().where('id', '=', code.district_id).executeTakeFirstOrThrow();
      let dataDistrictId = district.data_district_id;
      if (!dataDistrictId && input.dataDistrictId) {
        dataDistrictId = input.dataDistrictId;
        await tx.updateTable('districts').set({ data_district_id: dataDistrictId }).where('id', '=', district.id).execute();
      } else if (dataDistrictId && input.dataDistrictId && input.dataDistrictId !== dataDistrictId) {
        throw new HubError(409, 'other_district_data', 'На этом ноутбуке уже заведён другой район. Подключайте к району ноутбук без данных или тот, на котором район был создан.');
      }
      const now = new Date().toISOString();
      await tx
        .insertInto('devices')
        .values({ id: input.device, district_id: district.id, name: input.name, public_key: publicKey, enrolled_at: now, revoked_at: null, cursor: 0, last_seen_at: null, enc_key: encKey, history_upto: 0 })
        .execute();
      await tx.updateTable('enrol_codes').set({ used_at: now, used_by: input.device }).where('code_hash', '=', codeHashed).execute();
      let account;
      try {
        account = await bindWithCode(tx, code, { device: input.device, accountId: input.account?.id ?? null, personId: input.account?.personId ?? null });
      } catch (e) {
        throw e instanceof AccountRefusal ? new HubError(e.status, e.code, e.message) : e;
      }
      // The laptop's data so far is the district's history: the coordinator vouches for it with the region's code.
      if (account.role === 'coordinator' && input.historyUpto) {
        await tx.updateTable('devices').set({ history_upto: input.historyUpto }).where('id', '=', input.device).execute();
      }
      return { account, district: { id: district.id, name: district.name }, dataDistrictId, hub: { device: this.identity.device, publicKey: this.identity.publicKey, encKey: this.identity.encPublicKey } };
    });
  }

  /** The enrolled, not revoked device; the same refusal for "unknown" and "revoked" would hide why, so they differ. */
  async activeDevice(deviceId: string) {
    const d = await this.db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
    if (!d) throw new HubError(401, 'unknown_device', 'Устройство не подключено к серверу: введите код подключения.');
    if (d.revoked_at) throw new HubError(403, 'revoked', 'Это устройство отключено администратором региона: синхронизация запрещена.');
    return d;
  }

  /**
   * Records a signed request's nonce until `expiresAt` (ms): false when the device already
   * used it, so a captured request replayed within the window is refused. Expired nonces
   * are pruned as requests arrive.
   */
  async firstUseOfNonce(deviceId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    await this.db.deleteFrom('request_nonces').where('expires_at', '<', now).execute();
    const r = await this.db
      .insertInto('request_nonces')
      .values({ device_id: deviceId, nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['device_id', 'nonce']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /**
   * Accepts a device package and answers with the reply package. `districtId`, when the
   * route names one, must be the device's own district. `now`: the hub's clock.
   */
  async push(bytes: Uint8Array, districtId?: string, signedBy?: string, replyOptions: ReplyOptions = {}, now = Date.now()): Promise<Uint8Array> {
    let opened;
    const sealed = isEnvelope(bytes);
    try {
      opened = await openPackageOffThread(sealed ? await openEnvelopeAsync(bytes, { publicKey: this.identity.encPublicKey, privateKey: this.identity.encPrivateKey }) : bytes);
    } catch (e) {
      throw asHubError(e);
    }
    const m = opened.manifest;
    if (m.sender.role !== 'device') throw new HubError(400, 'not_device', 'Пакет не от устройства района.');
    // The HTTP route authenticated the request's signer; a package it relays must be that device's own.
    if (signedBy !== undefined && m.sender.device !== signedBy) {
      throw new HubError(403, 'wrong_sender', 'Пакет другого устройства: устройство может отправлять на сервер только свои пакеты.');
    }
    const device = await this.activeDevice(m.sender.device);
    let pkg;
    try {
      pkg = verifyPackage(opened, device.public_key);
    } catch (e) {
      throw asHubError(e);
    }
    if (m.sender.district !== device.district_id || (districtId !== undefined && districtId !== device.district_id)) {
      throw new HubError(403, 'foreign_district', 'Устройство может обмениваться данными только своего района.');
    }
    if (m.recipient !== null) throw new HubError(400, 'bad_recipient', 'Пакет адресован не серверу.');
    const encKey = checkEncKey(device, m, sealed);
    const changes = pkg.chunks.flat();
    for (const c of changes) {
      if (c.d !== device.id) throw new HubError(403, 'foreign_change', 'Пакет содержит изменения другого устройства: устройство может передавать только свои изменения.');
      if (REGION.has(c.t)) throw new HubError(403, 'region_table', 'Справочники региона (факторы риска, календарь проекта) может менять только регион.');
    }
    // A wrong clock must not order the district's edits: the whole package waits until the laptop restamps it (core/sync/restamp.ts).
    const latest = changes.reduce((hi, c) => Math.max(hi, hlcMs(c.h)), 0);
    if (latest - now > CLOCK_AHEAD_LIMIT_MS) throw new HubError(409, 'clock_ahead', clockAheadMessage(latest - now));
    if (await this.db.selectFrom('packages').select('id').where('id', '=', m.id).executeTakeFirst()) {
      throw new HubError(409, 'replay', 'Этот пакет уже был принят сервером (повтор): выгрузите новый пакет.');
    }
    // The laptops' rule: deleting many of the district's live rows at once needs the user's confirmation.
    if (!m.confirmedMassDelete && couldBeMassDeletion(m.counts.deletions)) {
      const n = await readModelOf(this).massDeletion(device.district_id, changes);
      if (n) throw new HubError(409, 'mass_delete', massDeletionMessage(n.deleted, n.live, 'отправьте изменения снова'));
    }
    const history = await settleAnnounced(this.db, device, m.accounts ?? [], maxAuthorless(changes));
    await storeCodesFromPackage(this.db, device, m.codes ?? []);
    const { accepted, refused } = await this.checkChanges(history === null ? device : { ...device, history_upto: history }, changes);
    saveBlobs(pkg.blobs, this.blobDir);
    await this.db.transaction().execute(async (tx) => {
      // Stamping and committing one package at a time keeps hub sequences visible in order,
      // so a reader's cursor can never skip a change still being committed.
      if (this.storage.dialect === 'postgres') await sql`LOCK TABLE changes IN EXCLUSIVE MODE`.execute(tx);
      await tx.insertInto('packages').values({ id: m.id, device_id: device.id, received_at: new Date().toISOString() }).execute();
      for (let i = 0; i < accepted.length; i += 500) {
        const rows = accepted.slice(i, i + 500).map((c) => ({
          district_id: device.district_id,
          device_id: c.d,
          device_seq: c.q,
          hlc: c.h,
          tbl: c.t,
          row_id: c.r,
          data: JSON.stringify(c.v),
          meta: c.m ? JSON.stringify(c.m) : null,
          author: c.a ?? null,
        }));
        await tx.insertInto('changes').values(rows).onConflict((oc) => oc.columns(['device_id', 'device_seq']).doNothing()).execute();
      }
      const refusedAt = new Date().toISOString();
      for (let i = 0; i < refused.length; i += 500) {
        const rows = refused.slice(i, i + 500).map((x) => ({
          device_id: device.id,
          device_seq: x.change.q,
          account_id: x.accountId,
          tbl: x.change.t,
          row_id: x.change.r,
          reason: x.reason,
          refused_at: refusedAt,
        }));
        await tx.insertInto('refused_changes').values(rows).onConflict((oc) => oc.columns(['device_id', 'device_seq']).doNothing()).execute();
      }
      await tx.updateTable('devices').set({ cursor: m.cursor, last_seen_at: new Date().toISOString(), enc_key: encKey }).where('id', '=', device.id).execute();
      if (m.schema > (await this.newestSchema(tx))) {
        await tx.insertInto('hub_meta').values({ key: NEWEST_SCHEMA, value: String(m.schema) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: String(m.schema) })).execute();
      }
    });
    // Every refusal from the package's first change on: a reply lost on the way is followed by a
    // package that starts at or before that change again (the laptop's ack did not move).
    const firstSeq = changes.reduce((lo, c) => Math.min(lo, c.q), Number.MAX_SAFE_INTEGER);
    return this.reply(device.id, device.district_id, m.cursor, await this.refusalsOf(device.id, firstSeq), m.resendOwn, replyOptions);
  }

  /**
   * Splits a package's changes into those to store and those refused (server/changeCheck.ts):
   * changes the hub already holds or refused are left to the insert's conflict rule, not judged
   * again. A device that never had a bound account sends no authors and skips the replica.
   */
  private async checkChanges(device: { id: string; district_id: string; history_upto: number | string }, changes: readonly WireChange[]): Promise<{ accepted: WireChange[]; refused: RefusedChange[] }> {
    const bindings = await this.db
      .selectFrom('account_devices as b')
      .innerJoin('accounts as a', 'a.id', 'b.account_id')
      .select(['a.id', 'a.district_id', 'a.person_id', 'a.role', 'a.revoked_at'])
      .where('b.device_id', '=', device.id)
      .execute();
    if (!bindings.length && changes.every((c) => c.a === undefined)) return { accepted: [...changes], refused: [] };
    const accounts = new Map(
      bindings.filter((b) => !b.revoked_at && b.district_id === device.district_id).map((b) => [b.id, { id: b.id, role: b.role, personId: b.person_id }]),
    );
    const known = await this.knownSeqs(device.id, changes);
    // The history the device brought when it was bound to a coordinator account is accepted as it is.
    const history = Number(device.history_upto);
    const fresh = changes.filter((c) => !known.has(c.q) && !(c.a === undefined && c.q <= history));
    const sorted = sortByAuthor(fresh, accounts, bindings.length === 0);
    const byRule = sorted.toCheck.length ? await readModelOf(this).withReplica(device.district_id, (replica) => checkPermissions(replica, sorted.toCheck)) : [];
    const refused = sorted.refused.concat(byRule);
    const out = new Set(refused.map((x) => x.change.q));
    return { accepted: changes.filter((c) => !known.has(c.q) && !out.has(c.q)), refused: refused.sort((a, b) => a.change.q - b.change.q) };
  }

  /** The device's seqs among `changes` that the hub already stored or refused. */
  private async knownSeqs(deviceId: string, changes: readonly WireChange[]): Promise<Set<number>> {
    if (!changes.length) return new Set();
    let lo = Infinity;
    let hi = 0;
    for (const c of changes) {
      if (c.q < lo) lo = c.q;
      if (c.q > hi) hi = c.q;
    }
    const stored = await this.db.selectFrom('changes').select('device_seq').where('device_id', '=', deviceId).where('device_seq', '>=', lo).where('device_seq', '<=', hi).execute();
    const refused = await this.db.selectFrom('refused_changes').select('device_seq').where('device_id', '=', deviceId).where('device_seq', '>=', lo).where('device_seq', '<=', hi).execute();
    return new Set([...stored, ...refused].map((r) => Number(r.device_seq)));
  }

  /** The device's refused changes from seq `from` on, as a reply reports them (none: no field). */
  private async refusalsOf(deviceId: string, from: number): Promise<Pick<Manifest, 'refused'>> {
    const rows = await this.db
      .selectFrom('refused_changes')
      .select(['device_seq', 'tbl', 'row_id', 'reason'])
      .where('device_id', '=', deviceId)
      .where('device_seq', '>=', from)
      .orderBy('device_seq')
      .execute();
    return rows.length ? { refused: rows.map((r) => ({ q: Number(r.device_seq), t: r.tbl, r: r.row_id, reason: r.reason })) } : {};
  }

  /**
   * Enrolment without being online: a laptop's enrolment request file (see
   * core/sync/enrolFile.ts) → the reply package for that laptop: the enrolment and the
   * district's data, signed by the hub. The code is one-time, so a request imported twice
   * is refused the second time.
   */
  async enrolFromFile(bytes: Uint8Array): Promise<{ reply: Uint8Array; device: string; district: { id: string; name: string } }> {
    let request;
    try {
      request = readEnrolRequest(bytes);
    } catch (e) {
      throw asHubError(e);
    }
    const r = await this.enrol({
      code: request.code,
      device: request.device,
      publicKey: request.publicKey,
      encKey: request.encKey,
      name: request.name,
      dataDistrictId: request.dataDistrictId,
      ...(request.account ? { account: request.account } : {}),
      ...(request.historyUpto !== undefined ? { historyUpto: request.historyUpto } : {}),
    });
    const reply = await this.reply(request.device, r.district.id, 0, {
      enrolment: { request: request.id, district: r.district, dataDistrictId: r.dataDistrictId, hubKey: this.identity.publicKey, account: r.account },
    });
    return { reply, device: request.device, district: r.district };
  }

  /**
   * Everything after `after` for the device's district and the region, as a signed package
   * addressed to it: other devices' changes, and the device's own in `resendOwn` (a device
   * that restored a backup lacks them). Sealed to the device's key once the hub has it, and then
   * naming the hub's own key (a laptop of a version before encryption gets plain replies it can read).
   */
  async reply(deviceId: string, districtId: string, after: number, extra: Pick<Manifest, 'enrolment' | 'refused'> = {}, resendOwn?: Manifest['resendOwn'], options: ReplyOptions = {}): Promise<Uint8Array> {
    const limit = Math.min(options.limit ?? REPLY_LIMIT, REPLY_LIMIT);
    const db = this.db;
    // Read the high-water mark first and serve up to it: every sequence at or below it is
    // committed (pushes commit one at a time), so the device's next cursor skips nothing.
    const encKey = (await db.selectFrom('devices').select('enc_key').where('id', '=', deviceId).executeTakeFirst())?.enc_key ?? null;
    const max = await db.selectFrom('changes').select((eb) => eb.fn.max('server_seq').as('m')).executeTakeFirst();
    const high = Math.max(after, Number(max?.m ?? 0));
    const rows = await db
      .selectFrom('changes')
      .select(['server_seq', 'device_id', 'device_seq', 'hlc', 'tbl', 'row_id', 'data', 'meta', 'author'])
      .where('district_id', 'in', [districtId, REGION_STREAM])
      .where('server_seq', '>', after)
      .where('server_seq', '<=', high)
      .where((eb) =>
        resendOwn === undefined
          ? eb('device_id', '!=', deviceId)
          : eb.or([eb('device_id', '!=', deviceId), eb.and([eb('device_seq', '>', resendOwn.after), eb('device_seq', '<=', resendOwn.upto)])]),
      )
      .orderBy('server_seq')
      .limit(limit)
      .execute();
    const more = rows.length === limit;
    const upto = more ? Number(rows[rows.length - 1]!.server_seq) : high;
    const own = await db.selectFrom('changes').select((eb) => eb.fn.max('device_seq').as('m')).where('device_id', '=', deviceId).executeTakeFirst();
    // Refused changes are handled too: the device must not send them again.
    const ownRefused = await db.selectFrom('refused_changes').select((eb) => eb.fn.max('device_seq').as('m')).where('device_id', '=', deviceId).executeTakeFirst();
    const changes: WireChange[] = rows.map((r) => ({
      d: r.device_id,
      q: Number(r.device_seq),
      h: r.hlc,
      t: r.tbl,
      r: r.row_id,
      v: JSON.parse(r.data),
      m: r.meta ? JSON.parse(r.meta) : null,
      s: Number(r.server_seq),
      ...(r.author ? { a: r.author } : {}),
    }));
    const manifest: Omit<Manifest, 'format' | 'ranges' | 'counts' | 'parts'> = {
      schema: await this.newestSchema(),
      minReaderSchema: 1,
      id: uuidv4(),
      createdAt: new Date().toISOString(),
      sender: { device: this.identity.device, district: districtId, role: 'hub' },
      recipient: deviceId,
      cursor: 0,
      hub: { after, upto, more },
      ack: Math.max(Number(own?.m ?? 0), Number(ownRefused?.m ?? 0)),
      ...extra,
      ...(encKey ? { encKey: this.identity.encPublicKey } : {}),
    };
    const signed = buildPackage(manifest, changes, options.blobs === false ? [] : blobsFor(changes, this.blobDir), this.identity.privateKey);
    return encKey ? sealEnvelope(signed, encKey) : signed;
  }

  /**
   * The newest schema any device's package declared, at least this version's. A reply relays
   * such a device's changes (tables or columns this version may not know) and declares this
   * schema, so a laptop of the newer version applies them and an older one keeps them deferred,
   * rather than refusing them as forgeries.
   */
  private async newestSchema(db: Pick<HubStorage['db'], 'selectFrom'> = this.db): Promise<number> {
    const row = await db.selectFrom('hub_meta').select('value').where('key', '=', NEWEST_SCHEMA).executeTakeFirst();
    return Math.max(LATEST_SCHEMA_VERSION, Number(row?.value ?? 0));
  }

  /** For the USB route: the reply for a device, from the cursor its last package stated. */
  async replyForDevice(deviceId: string): Promise<Uint8Array> {
    const d = await this.db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
    if (!d) throw new HubError(404, 'no_device', 'Устройство не найдено.');
    // No package says where the device's log stands: every refusal of the device, stored again on the laptop harmlessly.
    return this.reply(d.id, d.district_id, Number(d.cursor), await this.refusalsOf(d.id, 1));
  }

  knownTables(): readonly string[] {
    return SYNCED_TABLES;
  }
}

const BAD_ENC_KEY_MESSAGE =
  'Ключ шифрования устройства повреждён или это не ключ X25519: подключение не выполнено, код подключения остаётся действительным. Повторите подключение с этого ноутбука.';

/**
 * The device's encryption key after this package: a device with a registered key sends only
 * sealed packages and never another key; one enrolled before encryption is accepted plain
 * until its first package announcing a key, which is then recorded.
 */
function checkEncKey(device: { enc_key: string | null }, m: Manifest, sealed: boolean): string | null {
  if (device.enc_key && !sealed) {
    throw new HubError(400, 'not_sealed', 'Пакет не зашифрован, а это устройство уже передало свой ключ шифрования: сервер принимает от него только зашифрованные пакеты. Обновите программу на ноутбуке.');
  }
  if (!m.encKey) return device.enc_key;
  const announced = x25519PublicKey(m.encKey);
  if (!announced) throw new HubError(400, 'bad_key', 'Ключ шифрования в пакете повреждён или это не ключ X25519: пакет не принят.');
  if (device.enc_key && device.enc_key !== announced) {
    throw new HubError(403, 'enc_key_changed', 'Ключ шифрования устройства отличается от зарегистрированного на сервере: пакет не принят. Если ноутбук переустановлен, администратор должен отключить устройство и выдать новый код подключения.');
  }
  return device.enc_key ?? announced;
}

function asHubError(e: unknown): HubError {
  if (e instanceof SyncRefusal) return new HubError(e.reason === 'unknown_sender' ? 401 : 400, e.reason, e.message);
  throw e;
}
