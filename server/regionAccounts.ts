/**
 * The region page's named accounts: each regional user signs in with their own name and
 * password. Passwords are kept as scrypt hashes (per-user salt, the parameters stored with
 * the hash); sessions are random ids kept on the server only as hashes and end on sign-out
 * after SESSION_IDLE_MS without a request, or SESSION_MAX_MS after sign-in; failed sign-ins are counted per name and per
 * address and lock further attempts for a growing time; every admin action is written to
 * the audit log shown on the page to administrators.
 */
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { formatDateTime } from '../core/format';
import { DEFAULT_TIME_ZONE as REGION_TIME_ZONE } from '../core/rules/today';
import type { HubKysely } from './db';
import { HubError } from './hub';
import type { RegionUsersTable } from './schema';

export type RegionRole = RegionUsersTable['role'];
export const REGION_ROLES: readonly RegionRole[] = ['admin', 'coordinator'];
export const ROLE_LABELS: Record<RegionRole, string> = { admin: 'региональный администратор', coordinator: 'региональный координатор (только просмотр)' };

export interface RegionUser {
  id: string;
  name: string;
  role: RegionRole;
}

/** The audit log's actor for requests with the admin key (scripts and the admin API). */
export const API_KEY_ACTOR = 'ключ администратора (API)';

/** A session unused for this long ends. */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** A session ends this long after sign-in however much it is used. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** Failures in a row allowed before a lock, per name and per address (an office may share one address). */
export const FREE_FAILURES = { name: 5, addr: 20 } as const;
/** The first lock; each further failure doubles it, up to LOCK_MAX_MS. */
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 60 * 60_000;
/** A failure older than this no longer counts toward a lock. */
const FAILURE_MEMORY_MS = 24 * 3600_000;

export const MIN_PASSWORD = 10;
const MAX_PASSWORD = 200;

// scrypt: N = 2^15, r = 8, p = 1 takes ~32 MiB and ~0.1 s; stored with each hash so they can be raised later.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * options.r! }, (e, key) => (e ? reject(e) : resolve(key))));
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compared against when the name is unknown, so an unknown name takes as long as a wrong password. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const normaliseName = (name: string): string => name.trim().toLowerCase();

export type SignIn = { ok: true; sessionId: string; user: RegionUser } | { ok: false; status: 401 | 429; message: string };

function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `Пароль слишком короткий: нужно не меньше ${MIN_PASSWORD} знаков.`;
  if (password.length > MAX_PASSWORD) return `Пароль слишком длинный: не больше ${MAX_PASSWORD} знаков.`;
  return null;
}

export class RegionAccounts {
  constructor(
    private readonly db: HubKysely,
    private readonly now: () => number = Date.now,
  ) {}

  async audit(actor: string, action: string, detail: string): Promise<void> {
    await this.db.insertInto('audit_log').values({ at: new Date(this.now()).toISOString(), actor, action, detail }).execute();
  }

  /** The newest entries first. */
  auditLog(limit = 200) {
    return this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  listUsers() {
    return this.db.selectFrom('region_users').select(['id', 'name', 'role', 'created_at', 'disabled_at']).orderBy('name').execute();
  }

  async createUser(actor: string, rawName: string, role: RegionRole, password: string): Promise<RegionUser> {
    const name = normaliseName(rawName);
    if (!/^[\p{L}\p{N}._@-]{2,60}$/u.test(name)) throw new HubError(400, 'bad_name', 'Имя для входа: от 2 до 60 букв, цифр или знаков . _ @ - без пробелов.');
    const problem = passwordProblem(password);
    if (problem) throw new HubError(400, 'bad_password', problem);
    if (await this.db.selectFrom('region_users').select('id').where('name', '=', name).executeTakeFirst()) {
      throw new HubError(409, 'name_taken', `Учётная запись «${name}» уже есть.`);
    }
    const user = { id: randomUUID(), name, role };
    await this.db.insertInto('region_users').values({ ...user, password_hash: await hashPassword(password), created_at: new Date(this.now()).toISOString(), disabled_at: null }).execute();
    await this.audit(actor, 'Учётная запись создана', `${name}: ${ROLE_LABELS[role]}`);
    return user;
  }

  private async user(id: string) {
    const u = await this.db.selectFrom('region_users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) throw new HubError(404, 'no_user', 'Учётная запись не найдена.');
    return u;
  }

  /** A new role, a new password, or disabled; a new password or disabling ends the account's sessions. */
  async changeUser(actor: string, id: string, change: { role?: RegionRole; password?: string; disabled?: boolean }): Promise<void> {
    const u = await this.user(id);
    const leavesAdmins = u.role === 'admin' && !u.disabled_at && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (leavesAdmins && (await this.activeAdmins()) <= 1) {
      throw new HubError(409, 'last_admin', 'Это единственный действующий администратор региона: сначала назначьте другого.');
    }
    const said: string[] = [];
    if (change.role && change.role !== u.role) {
      await this.db.updateTable('region_users').set({ role: change.role }).where('id', '=', id).execute();
      said.push(`роль: ${ROLE_LABELS[change.role]}`);
    }
    if (change.password) {
      const problem = passwordProblem(change.password);
      if (problem) throw new HubError(400, 'bad_password', problem);
      await this.db.updateTable('region_users').set({ password_hash: await hashPassword(change.password) }).where('id', '=', id).execute();
      said.push('новый пароль');
    }
    if (change.disabled !== undefined && change.disabled !== (u.disabled_at !== null)) {
      await this.db.updateTable('region_users').set({ disabled_at: change.disabled ? new Date(this.now()).toISOString() : null }).where('id', '=', id).execute();
      said.push(change.disabled ? 'отключена' : 'снова включена');
    }
    if (said.length === 0) return;
    if (change.password || change.disabled) await this.db.deleteFrom('region_sessions').where('user_id', '=', id).execute();
    await this.audit(actor, 'Учётная запись изменена', `${u.name}: ${said.join(', ')}`);
  }

  private async activeAdmins(): Promise<number> {
    const r = await this.db.selectFrom('region_users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Signs in by name and password from `address`, unless a lock on the name or the address is in force. */
  async signIn(rawName: string, password: string, address: string): Promise<SignIn> {
    const now = this.now();
    const name = normaliseName(rawName);
    const keys = { name: `name:${name}`, addr: `addr:${address}` };
    const counts = await this.db.selectFrom('sign_in_failures').selectAll().where('key', 'in', [keys.name, keys.addr]).execute();
    const lockedUntil = Math.max(0, ...counts.map((c) => Number(c.locked_until)));
    if (lockedUntil > now) return { ok: false, status: 429, message: lockMessage(lockedUntil, now) };
    const user = await this.db.selectFrom('region_users').selectAll().where('name', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
    const valid = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH));
    if (!user || !valid) {
      const lock = await this.countFailure(keys, counts, now, name, address);
      return lock ? { ok: false, status: 429, message: lockMessage(lock, now) } : { ok: false, status: 401, message: 'Неверное имя или пароль.' };
    }
    await this.db.deleteFrom('sign_in_failures').where('key', 'in', [keys.name, keys.addr]).execute();
    await this.db.deleteFrom('region_sessions').where('last_seen_at', '<', now - SESSION_IDLE_MS).execute();
    const sessionId = randomBytes(32).toString('base64url');
    await this.db.insertInto('region_sessions').values({ id_hash: sha256(sessionId), user_id: user.id, created_at: now, last_seen_at: now }).execute();
    return { ok: true, sessionId, user: { id: user.id, name: user.name, role: user.role } };
  }

  /** Counts a failure on both keys; the time a lock now ends, when one starts (and is audited). */
  private async countFailure(keys: { name: string; addr: string }, counts: { key: string; failures: number; last_failure_at: number }[], now: number, name: string, address: string): Promise<number | null> {
    let lockStarted: number | null = null;
    for (const [kind, key] of Object.entries(keys) as ['name' | 'addr', string][]) {
      const prev = counts.find((c) => c.key === key);
      const failures = prev && now - Number(prev.last_failure_at) < FAILURE_MEMORY_MS ? Number(prev.failures) + 1 : 1;
      const over = failures - FREE_FAILURES[kind];
      const lockedUntil = over >= 0 ? now + Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** Math.min(over, 20)) : 0;
      await this.db
        .insertInto('sign_in_failures')
        .values({ key, failures, last_failure_at: now, locked_until: lockedUntil })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures, last_failure_at: now, locked_until: lockedUntil }))
        .execute();
      if (lockedUntil) {
        lockStarted = Math.max(lockStarted ?? 0, lockedUntil);
        const who = kind === 'name' ? `имя «${name}»` : `адрес ${address}`;
        await this.audit('сервер', 'Вход заблокирован', `${who}: ${failures} неудачных попыток подряд, до ${formatDateTime(new Date(lockedUntil), REGION_TIME_ZONE)}`);
      }
    }
    return lockStarted;
  }

  /** The session's user, or null when it is unknown, ended, idle too long or older than SESSION_MAX_MS; a live one is kept alive. */
  async session(sessionId: string | undefined): Promise<RegionUser | null> {
    if (!sessionId) return null;
    const now = this.now();
    const row = await this.db
      .selectFrom('region_sessions')
      .innerJoin('region_users', 'region_users.id', 'region_sessions.user_id')
      .select(['region_sessions.id_hash', 'region_sessions.created_at', 'region_sessions.last_seen_at', 'region_users.id', 'region_users.name', 'region_users.role', 'region_users.disabled_at'])
      .where('region_sessions.id_hash', '=', sha256(sessionId))
      .executeTakeFirst();
    if (!row) return null;
    if (row.disabled_at || now - Number(row.last_seen_at) > SESSION_IDLE_MS || now - Number(row.created_at) > SESSION_MAX_MS) {
      await this.db.deleteFrom('region_sessions').where('id_hash', '=', row.id_hash).execute();
      return null;
    }
    await this.db.updateTable('region_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
    return { id: row.id, name: row.name, role: row.role };
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.db.deleteFrom('region_sessions').where('id_hash', '=', sha256(sessionId)).execute();
  }
}

function lockMessage(until: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return `Слишком много неудачных попыток входа: вход временно закрыт. Попробуйте снова после ${formatDateTime(new Date(until), REGION_TIME_ZONE)} (через ${minutes} мин).`;
}
