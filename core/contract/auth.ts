/**
 * Accounts on this laptop: sign-in, sign-out, the idle lock, the first account of a database
 * from before accounts, accounts added with a code, and codes the coordinator issues.
 * These calls are answered by core/accounts even while the laptop is locked; every other
 * call needs a signed-in account once the laptop has one.
 */
import { call } from './define';
import { text, z } from './common';
import { DISTRICT_ROLES, ROLES, type Role } from '../rules/permissions';

/** An account as the sign-in screen lists it: no secrets. */
export interface AccountSummary {
  id: string;
  name: string;
  role: Role;
  personId: string | null;
}

export interface SessionView extends AccountSummary {
  /** Schools assigned to this person today (for a curator's own-school rights on screen). */
  ownSchoolIds: string[];
}

export interface AuthState {
  /**
   * `setup`: no account on this laptop yet (a new laptop or a database from before accounts):
   * the coordinator creates the first one, which encrypts the database. `locked`: accounts
   * exist, nobody is signed in. `signed_in`: `session` is who.
   */
  status: 'setup' | 'locked' | 'signed_in';
  accounts: AccountSummary[];
  session: SessionView | null;
  /** Minutes without input before the screen locks (Настройки). */
  idleMinutes: number;
  /** Whether this laptop has district data already (setup of an upgraded database vs. a new laptop). */
  hasData: boolean;
  /**
   * `setup` on a laptop that enrolled with a code issued for a person: whose account the
   * first password makes (auth.createFirst then takes no person).
   */
  pending: { name: string; role: Role } | null;
}

export interface IssuedCode {
  code: string;
  expiresAt: string;
  /** `package`: made on a laptop that syncs by files; it works once the next package reaches the region. */
  via: 'server' | 'package';
  personName: string;
  role: Role;
}

/** A password people can remember and a thief cannot guess quickly (scrypt does the rest). */
export const password = z
  .string()
  .min(8, { message: 'Пароль — не короче 8 знаков' })
  .max(200, { message: 'Пароль — не длиннее 200 знаков' });

const personName = z.strictObject({
  last_name: text(100),
  first_name: text(100),
  middle_name: z.string().trim().max(100).optional(),
});

export const accountRoles = z.enum(DISTRICT_ROLES);

export const authContract = {
  'auth.state': call<AuthState>()(z.strictObject({})),
  'auth.signIn': call<AuthState>()(z.strictObject({ accountId: z.string().min(1).max(100), password: z.string().max(200) })),
  'auth.signOut': call<AuthState>()(z.strictObject({})),
  /** The idle lock: the same as signing out, but the sign-in screen offers the same account first. */
  'auth.lock': call<AuthState>()(z.strictObject({})),
  /**
   * The coordinator's account on a laptop without one: an existing person of the district, or
   * a new person by name. Encrypts the database (a backup copy is made first).
   */
  'auth.createFirst': call<AuthState>()(
    z.strictObject({
      personId: z.uuid().optional(),
      person: personName.optional(),
      password,
    }),
  ),
  /** Another account on this laptop (a shared office laptop), with a code the coordinator or the region issued. */
  'auth.addAccount': call<AuthState>()(z.strictObject({ code: z.string().trim().min(4).max(40), password })),
  /** A code for a person of the district: binds a laptop to that person's account (a new one, or a forgotten password). */
  'auth.issueCode': call<IssuedCode>()(z.strictObject({ personId: z.uuid(), role: accountRoles })),
  'auth.changePassword': call<null>()(z.strictObject({ oldPassword: z.string().max(200), newPassword: password })),
  /**
   * A forgotten password with no other account on the laptop: the locked data folder is set
   * aside as it is (still encrypted: the old password opens it if it is remembered) and the
   * laptop starts empty, to join the district again with a new code; what it had sent to the
   * server comes back with the first sync.
   */
  'auth.startOver': call<AuthState>()(z.strictObject({ confirm: z.literal(true) })),
  'auth.setIdleMinutes': call<AuthState>()(z.strictObject({ minutes: z.number().int().min(1, { message: 'Не меньше 1 минуты' }).max(240, { message: 'Не больше 240 минут' }) })),
};

export type AuthCall = keyof typeof authContract;

export const AUTH_CALLS = Object.keys(authContract) as AuthCall[];

export { ROLES };
