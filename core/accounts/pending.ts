/**
 * The account a code bound this laptop to at enrolment, until its person sets a password
 * (auth.createFirst): kept in `meta`, so a laptop closed in between still knows whose it is.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { getMeta, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { DISTRICT_ROLES } from '../rules/permissions';

export const PENDING_ACCOUNT = 'account.pending';

const pending = z.object({
  accountId: z.string().min(1).max(100),
  personId: z.string().max(100).nullable(),
  role: z.enum(DISTRICT_ROLES),
});

export type PendingAccount = z.infer<typeof pending>;

export function readPendingAccount(store: Store): PendingAccount | null {
  const raw = getMeta(store, PENDING_ACCOUNT);
  if (!raw) return null;
  const parsed = pending.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export function savePendingAccount(store: Store, account: PendingAccount): void {
  setMeta(store, PENDING_ACCOUNT, JSON.stringify(pending.parse(account)));
}

/**
 * The account a laptop proposes when it enrols with a code: the signed-in one (a coordinator's
 * laptop joining the region's server), or a new id for a laptop nobody has signed in to yet.
 */
export function accountClaim(store: Store): { id: string; personId: string | null } {
  const session = store.session;
  if (session) return { id: session.accountId, personId: session.personId };
  return { id: readPendingAccount(store)?.accountId ?? uuidv7(), personId: null };
}

/** The account the hub bound: a laptop without an account keeps it until its person sets a password. */
export function adoptEnrolledAccount(store: Store, bound: { accountId: string; personId: string | null; role: PendingAccount['role'] } | undefined): void {
  if (!bound || store.session) return;
  savePendingAccount(store, { accountId: bound.accountId, personId: bound.personId, role: bound.role });
}
