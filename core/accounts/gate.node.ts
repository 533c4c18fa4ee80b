/**
 * The door of the core: answers the auth calls, keeps the database closed while nobody is
 * signed in, and hands every other call to dispatch with the signed-in session on the store.
 *
 * A laptop with no account yet (a new laptop, or a database from before accounts) runs as
 * before on its plain database, with no session; the renderer then asks the coordinator to
 * create the first account, which encrypts the database in place (a backup copy first).
 * Once accounts exist, the database opens only with the data key a password unwraps.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../context';
import { contract, type Result } from '../contract';
import { fieldErrors } from '../contract/common';
import type { AccountSummary, AuthCall, AuthState, SessionView, authContract } from '../contract/auth';
import type { CallParsed } from '../contract/define';
import { dispatch, isAuthCall } from '../dispatch';
import { AppError } from '../../db/errors';
import { getMeta } from '../../db/replica';
import { qb, type Session } from '../../db/store';
import { insertRow } from '../../db/write';
import { coversDay } from '../rules/assignments';
import { todayOf } from '../localDay';
import { personShort } from '../format';
import { emptyKeyring, newDataKey, readKeyring, unwrap, wrapFor, writeKeyring, type Keyring, type StoredAccount } from './keyring.node';
import { bindAccountOnHub, issueCodeOnHub } from './hubAccounts.node';
import { PENDING_ACCOUNT, readPendingAccount } from './pending';
import { installWriteGuard } from './writeGuard';

/** A call's input as its schema in the contract parsed it. */
type Input<N extends AuthCall> = CallParsed<(typeof authContract)[N]>;

/** What the gate needs of the app around it: open the database (with the data key once accounts exist) and close it. */
export interface CoreHost {
  /** Opens the district database and starts what runs beside it (sync, backups). */
  open(key: Buffer | null): Ctx;
  close(ctx: Ctx): void;
  /** Encrypts the plain database and attachments of the data folder in place (a backup copy first). */
  encrypt(key: Buffer): void;
  /** Whether the database file is encrypted already. */
  isEncrypted(): boolean;
  /** Moves the (closed) database, attachments, backups and keyring into a dated folder aside. */
  setAside(): void;
}

/** Wrong passwords in a row before sign-in waits; then each try waits this long. */
const FREE_TRIES = 5;
const WAIT_MS = 30_000;

export class AccountGate {
  private keyring: Keyring | null;
  private ctx: Ctx | null = null;
  private dataKey: Buffer | null = null;
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    readonly dataDir: string,
    private readonly host: CoreHost,
  ) {
    this.keyring = readKeyring(dataDir);
    if (!this.hasAccounts()) this.ctx = host.open(null);
  }

  /** The open core, or null while locked. */
  get current(): Ctx | null {
    return this.ctx;
  }

  async call(name: string, input: unknown): Promise<Result<unknown>> {
    if (!isAuthCall(name)) {
      if (!this.ctx) return { ok: false, error: { code: 'locked', message: 'Войдите в свою учётную запись, чтобы продолжить.' } };
      return dispatch(this.ctx, name, input);
    }
    const parsed = contract[name].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'validation', message: 'Проверьте выделенные поля', fields: fieldErrors(parsed.error) } };
    try {
      return { ok: true, value: await this.answer(name, parsed.data) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
      this.ctx?.log?.({ level: 'error', source: `auth ${name}`, message: e instanceof Error ? e.message : String(e) });
      return { ok: false, error: { code: 'internal', message: 'Внутренняя ошибка: действие не выполнено.' } };
    }
  }

  /**
   * Accounts made elsewhere for a laptop that has none (the demo district's): the keyring is
   * written, the data folder encrypted, and the laptop left locked for someone to sign in.
   */
  installAccounts(accounts: StoredAccount[], dataKey: Buffer): void {
    if (this.hasAccounts()) throw new AppError('exists', 'На этом ноутбуке уже есть учётные записи.');
    this.keyring = { ...emptyKeyring(), accounts };
    writeKeyring(this.dataDir, this.keyring);
    this.close();
    this.host.encrypt(dataKey);
  }

  close(): void {
    if (this.ctx) this.host.close(this.ctx);
    this.ctx = null;
    this.forgetKey();
  }

  // ---- the calls ----

  private async answer(name: AuthCall, input: unknown): Promise<unknown> {
    switch (name) {
      case 'auth.state':
        return this.state();
      case 'auth.signIn': {
        const { accountId, password } = input as Input<'auth.signIn'>;
        await this.signIn(accountId, password);
        return this.state();
      }
      case 'auth.signOut':
      case 'auth.lock':
        this.close();
        return this.state();
      case 'auth.createFirst':
        await this.createFirst(input as Input<'auth.createFirst'>);
        return this.state();
      case 'auth.addAccount':
        await this.addAccount(input as Input<'auth.addAccount'>);
        return this.state();
      case 'auth.issueCode':
        return this.issueCode(input as Input<'auth.issueCode'>);
      case 'auth.changePassword':
        await this.changePassword(input as Input<'auth.changePassword'>);
        return null;
      case 'auth.startOver':
        if (this.ctx) throw new AppError('signed_in', 'Начать заново можно только на экране входа: сначала выйдите.');
        this.host.setAside();
        this.keyring = null;
        this.failures = 0;
        this.lockedUntil = 0;
        this.ctx = this.host.open(null);
        return this.state();
      case 'auth.setIdleMinutes': {
        const keyring = this.requireKeyring();
        keyring.idleMinutes = (input as Input<'auth.setIdleMinutes'>).minutes;
        writeKeyring(this.dataDir, keyring);
        return this.state();
      }
    }
  }

  state(): AuthState {
    const accounts = (this.keyring?.accounts ?? []).map(summary);
    const last = this.keyring?.lastAccountId;
    // The last account to sign in first: on a shared laptop it is most often the same person.
    accounts.sort((a, b) => Number(b.id === last) - Number(a.id === last));
    const session = this.ctx?.store.session ?? null;
    const pending = this.ctx && !this.hasAccounts() ? readPendingAccount(this.ctx.store) : null;
    return {
      status: !this.hasAccounts() ? 'setup' : session ? 'signed_in' : 'locked',
      accounts,
      session: session && this.ctx ? this.sessionView(this.ctx, session) : null,
      idleMinutes: this.keyring?.idleMinutes ?? emptyKeyring().idleMinutes,
      hasData: this.ctx ? !!getMeta(this.ctx.store, 'district_id') : this.hasAccounts(),
      pending: pending?.personId && this.ctx ? { name: personNameOf(this.ctx.store, pending.personId), role: pending.role } : null,
    };
  }

  private async signIn(accountId: string, password: string): Promise<void> {
    const account = this.keyring?.accounts.find((a) => a.id === accountId);
    if (!account) throw new AppError('not_found', 'Учётная запись не найдена на этом ноутбуке.');
    const now = Date.now();
    if (now < this.lockedUntil) {
      throw new AppError('throttled', `Слишком много неверных паролей подряд. Попробуйте снова через ${Math.ceil((this.lockedUntil - now) / 1000)} с.`);
    }
    const key = await unwrap(account, password);
    if (!key) {
      this.failures += 1;
      if (this.failures >= FREE_TRIES) this.lockedUntil = now + WAIT_MS;
      throw new AppError('bad_password', 'Неверный пароль.', { password: 'Неверный пароль' });
    }
    this.failures = 0;
    this.lockedUntil = 0;
    if (this.ctx) this.close();
    // A crash between writing the keyring and encrypting leaves a plain database: finish the job now.
    if (!this.host.isEncrypted()) this.host.encrypt(key);
    this.open(key, account);
  }

  private async createFirst(input: Input<'auth.createFirst'>): Promise<void> {
    if (this.hasAccounts()) throw new AppError('exists', 'На этом ноутбуке уже есть учётные записи: войдите в свою.');
    const ctx = this.requireOpen();
    const store = ctx.store;
    const pending = readPendingAccount(store);
    let identity: { id: string; role: StoredAccount['role']; personId: string };
    if (pending?.personId) {
      identity = { id: pending.accountId, role: pending.role, personId: pending.personId };
    } else {
      if (!getMeta(store, 'district_id')) throw new AppError('no_district', 'Сначала создайте район или подключитесь к району.');
      const personId = store.tx(() => coordinatorPerson(store, input));
      identity = { id: pending?.accountId ?? uuidv7(), role: pending?.role ?? 'coordinator', personId };
    }
    const dataKey = newDataKey();
    const entry = await wrapFor({ id: identity.id, role: identity.role, personId: identity.personId, name: personNameOf(store, identity.personId), createdAt: new Date().toISOString() }, input.password, dataKey);
    // The keyring first: a crash before the database is encrypted leaves an account whose
    // sign-in finishes the encryption, never an encrypted database nobody can open.
    this.keyring = { ...emptyKeyring(), accounts: [entry], lastAccountId: entry.id };
    writeKeyring(this.dataDir, this.keyring);
    this.host.close(ctx);
    this.ctx = null;
    this.host.encrypt(dataKey);
    this.open(dataKey, entry).store.run(qb.deleteFrom('meta').where('key', '=', PENDING_ACCOUNT));
  }

  private async addAccount(input: Input<'auth.addAccount'>): Promise<void> {
    const ctx = this.requireOpen();
    if (!this.dataKey) throw new AppError('locked', 'Новую учётную запись добавляют, войдя в свою: её ключ шифруется ключом этого ноутбука.');
    const bound = await bindAccountOnHub(ctx, input.code);
    const keyring = this.requireKeyring();
    const entry = await wrapFor(
      { id: bound.accountId, role: bound.role, personId: bound.personId, name: personNameOf(ctx.store, bound.personId), createdAt: new Date().toISOString() },
      input.password,
      this.dataKey,
    );
    // A new code for an account already here is how a forgotten password is replaced.
    keyring.accounts = [...keyring.accounts.filter((a) => a.id !== entry.id), entry];
    keyring.lastAccountId = entry.id;
    writeKeyring(this.dataDir, keyring);
    ctx.store.session = sessionOf(entry);
  }

  private async issueCode(input: Input<'auth.issueCode'>) {
    const ctx = this.requireOpen();
    const session = ctx.store.session;
    if (session && session.role !== 'coordinator') throw new AppError('forbidden', 'Выдавать коды для входа может только муниципальный координатор.');
    const person = ctx.store.first(qb.selectFrom('people').selectAll().where('id', '=', input.personId).where('deleted_at', 'is', null));
    if (!person) throw new AppError('not_found', 'Человек не найден в списке района.');
    const issued = await issueCodeOnHub(ctx, { personId: person.id, role: input.role });
    return { ...issued, personName: personShort(person), role: input.role };
  }

  private async changePassword(input: Input<'auth.changePassword'>): Promise<void> {
    const session = this.requireOpen().store.session;
    const keyring = this.requireKeyring();
    const account = keyring.accounts.find((a) => a.id === session?.accountId);
    if (!account) throw new AppError('locked', 'Войдите в свою учётную запись.');
    const key = await unwrap(account, input.oldPassword);
    if (!key) throw new AppError('bad_password', 'Неверный текущий пароль.', { oldPassword: 'Неверный пароль' });
    const { kdf: _kdf, wrapped: _wrapped, ...identity } = account;
    const entry = await wrapFor(identity, input.newPassword, key);
    keyring.accounts = keyring.accounts.map((a) => (a.id === entry.id ? entry : a));
    writeKeyring(this.dataDir, keyring);
  }

  // ---- helpers ----

  private open(key: Buffer, account: StoredAccount): Ctx {
    const ctx = this.host.open(key);
    this.ctx = ctx;
    this.dataKey = key;
    ctx.store.session = sessionOf(account);
    installWriteGuard(ctx.store);
    const keyring = this.requireKeyring();
    if (keyring.lastAccountId !== account.id) {
      keyring.lastAccountId = account.id;
      writeKeyring(this.dataDir, keyring);
    }
    return ctx;
  }

  private forgetKey(): void {
    this.dataKey?.fill(0);
    this.dataKey = null;
  }

  private hasAccounts(): boolean {
    return (this.keyring?.accounts.length ?? 0) > 0;
  }

  private requireOpen(): Ctx {
    if (!this.ctx) throw new AppError('locked', 'Войдите в свою учётную запись, чтобы продолжить.');
    return this.ctx;
  }

  private requireKeyring(): Keyring {
    if (!this.keyring) throw new AppError('no_accounts', 'На этом ноутбуке ещё нет учётных записей.');
    return this.keyring;
  }

  private sessionView(ctx: Ctx, session: Session): SessionView {
    const today = todayOf(ctx.store);
    const assignments = session.personId
      ? ctx.store.all(qb.selectFrom('curator_assignments').select(['school_id', 'date_from', 'date_to', 'deleted_at']).where('curator_id', '=', session.personId))
      : [];
    const own = assignments.filter((a) => coversDay(a, today)).map((a) => a.school_id);
    return { id: session.accountId, name: session.name, role: session.role, personId: session.personId, ownSchoolIds: [...new Set(own)] };
  }
}

const summary = (a: StoredAccount): AccountSummary => ({ id: a.id, name: a.name, role: a.role, personId: a.personId });
const sessionOf = (a: StoredAccount): Session => ({ accountId: a.id, personId: a.personId, role: a.role, name: a.name });

function personNameOf(store: Ctx['store'], personId: string | null): string {
  const p = personId ? store.first(qb.selectFrom('people').selectAll().where('id', '=', personId)) : undefined;
  return p ? personShort(p) : 'Без имени';
}

/** The coordinator's own person: chosen from the district's people, or added by name. */
function coordinatorPerson(store: Ctx['store'], input: { personId?: string; person?: { last_name: string; first_name: string; middle_name?: string } }): string {
  if (input.personId) {
    const p = store.first(qb.selectFrom('people').select('id').where('id', '=', input.personId).where('deleted_at', 'is', null));
    if (!p) throw new AppError('not_found', 'Человек не найден в списке района.', { personId: 'Выберите себя из списка' });
    return p.id;
  }
  if (!input.person) throw new AppError('validation', 'Выберите себя из списка людей района или введите фамилию и имя.', { personId: 'Выберите себя из списка' });
  return insertCoordinator(store, getMeta(store, 'district_id')!, input.person).id;
}

/** The district's municipal coordinator as a person of its list (the first account's, or the demo's). */
export function insertCoordinator(store: Ctx['store'], districtId: string, name: { last_name: string; first_name: string; middle_name?: string | null }) {
  return insertRow(store, 'people', {
    district_id: districtId,
    last_name: name.last_name,
    first_name: name.first_name,
    middle_name: name.middle_name || null,
    position: 'Муниципальный координатор',
    organisation_id: null,
    phone: null,
    email: null,
    is_coordinator: true,
    is_curator: false,
    is_school_coordinator: false,
    is_director: false,
  });
}
