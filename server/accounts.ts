/**
 * District accounts on the hub: who issues a one-time code for whom, and how a laptop is bound
 * to an account with it. The region issues the coordinator's code (the region page's «Код
 * подключения»); the coordinator issues codes for the district's people from a laptop bound to
 * a coordinator account. A code used by a laptop binds that laptop's device to the account,
 * so the hub accepts changes the account authored only when that device signed them.
 */
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { HubDB } from './schema';
import { isDistrictRole, type DistrictRole } from '../core/rules/permissions';
import { codeHash, expiryFrom, newCode, type OutgoingCode } from '../core/accounts/codes.node';

/** A refusal with its HTTP status (the same shape as HubError, without importing the hub). */
export class AccountRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Db = Kysely<HubDB> | Transaction<HubDB>;

/** Stores a code (its hash) for a district, optionally for one account or person and role. */
export async function storeCode(db: Db, input: { districtId: string; role: DistrictRole; personId: string | null; accountId: string | null }): Promise<{ code: string; expiresAt: string }> {
  const code = newCode();
  const now = new Date();
  const expiresAt = expiryFrom(now);
  await db
    .insertInto('enrol_codes')
    .values({ code_hash: codeHash(code), district_id: input.districtId, created_at: now.toISOString(), expires_at: expiresAt, used_at: null, used_by: null, role: input.role, person_id: input.personId, account_id: input.accountId })
    .execute();
  return { code, expiresAt };
}

/** The accounts a device may author changes for: bound to it and not revoked. */
export async function accountsOfDevice(db: Db, deviceId: string) {
  return db
    .selectFrom('account_devices as ad')
    .innerJoin('accounts as a', 'a.id', 'ad.account_id')
    .select(['a.id', 'a.district_id', 'a.person_id', 'a.role'])
    .where('ad.device_id', '=', deviceId)
    .where('a.revoked_at', 'is', null)
    .execute();
}

/**
 * A code the coordinator issues from their laptop for a person of the district: for that
 * person's existing account (a new laptop, or a forgotten password) or for a new one.
 */
export async function issueByCoordinator(db: Kysely<HubDB>, input: { device: { id: string; district_id: string }; requester: string; personId: string; role: string }) {
  if (!isDistrictRole(input.role)) throw new AccountRefusal(400, 'bad_role', 'Неизвестная роль учётной записи.');
  const role = input.role;
  const requester = (await accountsOfDevice(db, input.device.id)).find((a) => a.id === input.requester);
  if (!requester) throw new AccountRefusal(403, 'unknown_account', 'Ваша учётная запись не подтверждена на сервере для этого ноутбука: синхронизируйтесь и попробуйте снова.');
  if (requester.role !== 'coordinator') throw new AccountRefusal(403, 'forbidden', 'Выдавать коды для входа может только муниципальный координатор.');
  const existing = await db
    .selectFrom('accounts')
    .select(['id', 'role'])
    .where('district_id', '=', input.device.district_id)
    .where('person_id', '=', input.personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  // One account per person: a second code for them re-binds the same account (its role can change).
  if (existing && existing.role !== role) await db.updateTable('accounts').set({ role }).where('id', '=', existing.id).execute();
  return storeCode(db, { districtId: input.device.district_id, role, personId: input.personId, accountId: existing?.id ?? null });
}

/**
 * Binds a device to the account a code was issued for, inside the caller's transaction (the
 * code is marked used by the caller). A code without an account creates it: with the laptop's
 * proposed id, and the code's person or, for the region's coordinator code, the person the
 * laptop names (it may be unknown yet: a new laptop learns the district's people only after
 * its first sync, and names the person later with announceAccounts).
 */
export async function bindWithCode(
  tx: Transaction<HubDB>,
  code: { district_id: string; role: string | null; person_id: string | null; account_id: string | null },
  input: { device: string; accountId: string | null; personId: string | null },
): Promise<{ accountId: string; personId: string | null; role: DistrictRole }> {
  // Codes from before accounts were the region's, for the district's coordinator.
  const role: DistrictRole = code.role && isDistrictRole(code.role) ? code.role : 'coordinator';
  const now = new Date().toISOString();
  let accountId = code.account_id;
  let personId = code.person_id ?? input.personId;
  if (accountId) {
    const account = await tx.selectFrom('accounts').select(['person_id']).where('id', '=', accountId).executeTakeFirst();
    personId = account?.person_id ?? personId;
  } else {
    accountId = input.accountId ?? uuidv7();
    const taken = await tx.selectFrom('accounts').select(['district_id']).where('id', '=', accountId).executeTakeFirst();
    if (taken) throw new AccountRefusal(409, 'account_exists', 'Такая учётная запись уже есть на сервере: для неё нужен код, выданный на неё.');
    await tx.insertInto('accounts').values({ id: accountId, district_id: code.district_id, person_id: personId, role, created_at: now, revoked_at: null }).execute();
  }
  await tx
    .insertInto('account_devices')
    .values({ account_id: accountId, device_id: input.device, bound_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'device_id']).doNothing())
    .execute();
  return { accountId, personId, role };
}

/** An account a laptop's package names: its id, the person it belongs to and the role it claims. */
export interface AnnouncedAccount {
  id: string;
  personId: string | null;
  role: string;
}

/**
 * What a signed package may settle about its device's accounts, and nothing more:
 * - an account bound to the device whose person is not known yet (the region's coordinator
 *   code, used on a new laptop) gets the person the laptop names;
 * - a device enrolled before accounts existed (no account bound) gets its first coordinator
 *   account, while the district has no coordinator account: the upgrade path, trust on first use.
 * Any other claim changes nothing: its changes are then refused as of an unconfirmed author.
 * Every package announces its account, so the common case — the account bound, its person
 * known — is one read and no transaction. Returns the device's new history mark when a first
 * coordinator account was bound, else null.
 */
export async function settleAnnounced(db: Kysely<HubDB>, device: { id: string; district_id: string }, announced: readonly AnnouncedAccount[], historyUpto: number): Promise<number | null> {
  if (announced.length === 0) return null;
  const known = await accountsOfDevice(db, device.id);
  const settles = (claim: AnnouncedAccount) => {
    const mine = known.find((a) => a.id === claim.id);
    return mine ? !mine.person_id && !!claim.personId : known.length === 0 && claim.role === 'coordinator' && !!claim.personId;
  };
  if (!announced.some(settles)) return null;
  let history: number | null = null;
  await db.transaction().execute(async (tx) => {
    const bound = await accountsOfDevice(tx, device.id);
    for (const claim of announced) {
      const mine = bound.find((a) => a.id === claim.id);
      if (mine) {
        if (!mine.person_id && claim.personId) await tx.updateTable('accounts').set({ person_id: claim.personId }).where('id', '=', mine.id).execute();
        continue;
      }
      if (bound.length > 0 || claim.role !== 'coordinator' || !claim.personId) continue;
      const coordinator = await tx.selectFrom('accounts').select('id').where('district_id', '=', device.district_id).where('role', '=', 'coordinator').executeTakeFirst();
      const taken = await tx.selectFrom('accounts').select('id').where('id', '=', claim.id).executeTakeFirst();
      if (coordinator || taken) continue;
      const now = new Date().toISOString();
      await tx.insertInto('accounts').values({ id: claim.id, district_id: device.district_id, person_id: claim.personId, role: 'coordinator', created_at: now, revoked_at: null }).execute();
      await tx.insertInto('account_devices').values({ account_id: claim.id, device_id: device.id, bound_at: now }).execute();
      // What it wrote before the upgrade, unsent till now, is the district's history like the rest.
      await tx.updateTable('devices').set({ history_upto: historyUpto }).where('id', '=', device.id).execute();
      history = historyUpto;
      bound.push({ id: claim.id, district_id: device.district_id, person_id: claim.personId, role: 'coordinator' });
    }
  });
  return history;
}

/**
 * A new one-time code for an existing account: the region's answer to a coordinator who lost
 * their laptop or forgot the password (the coordinator does the same for their people).
 */
export async function codeForAccount(db: Kysely<HubDB>, accountId: string): Promise<{ code: string; expiresAt: string; districtId: string }> {
  const account = await db.selectFrom('accounts').selectAll().where('id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
  if (!account) throw new AccountRefusal(404, 'no_account', 'Учётная запись не найдена или отключена.');
  const issued = await storeCode(db, { districtId: account.district_id, role: account.role, personId: account.person_id, accountId: account.id });
  return { ...issued, districtId: account.district_id };
}

/**
 * Codes a coordinator's laptop issued offline, arriving in its signed package: stored (by hash,
 * once) when the issuer is a coordinator account bound to that device, like a code the
 * coordinator issued online; any other is ignored.
 */
export async function storeCodesFromPackage(db: Kysely<HubDB>, device: { id: string; district_id: string }, codes: readonly OutgoingCode[]): Promise<void> {
  if (codes.length === 0) return;
  const issuers = new Set((await accountsOfDevice(db, device.id)).filter((a) => a.role === 'coordinator').map((a) => a.id));
  const now = new Date().toISOString();
  for (const c of codes) {
    if (!issuers.has(c.issuer) || c.expiresAt <= now) continue;
    const existing = await db.selectFrom('accounts').select('id').where('district_id', '=', device.district_id).where('person_id', '=', c.personId).where('revoked_at', 'is', null).executeTakeFirst();
    await db
      .insertInto('enrol_codes')
      .values({ code_hash: c.hash, district_id: device.district_id, created_at: now, expires_at: c.expiresAt, used_at: null, used_by: null, role: c.role, person_id: c.personId, account_id: existing?.id ?? null })
      .onConflict((oc) => oc.column('code_hash').doNothing())
      .execute();
  }
}

/** The highest seq of a package's changes that name no author (0 if none): a legacy device's history. */
export function maxAuthorless(changes: readonly { q: number; a?: string | undefined }[]): number {
  let max = 0;
  for (const c of changes) if (c.a === undefined && c.q > max) max = c.q;
  return max;
}

/** The district's accounts for the region page: who may sign in where. */
export async function districtAccounts(db: Kysely<HubDB>, districtId: string) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('account_devices as ad', 'ad.account_id', 'a.id')
    .select(['a.id', 'a.person_id', 'a.role', 'a.created_at', 'a.revoked_at'])
    .select((eb) => eb.fn.count<number>('ad.device_id').as('devices'))
    .where('a.district_id', '=', districtId)
    .groupBy(['a.id', 'a.person_id', 'a.role', 'a.created_at', 'a.revoked_at'])
    .orderBy('a.created_at')
    .execute();
}
