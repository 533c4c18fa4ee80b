/**
 * The account a code bound this laptop to at enrolment, until its person sets a password
 * (auth.createFirst): kept in `meta`, so a laptop closed in between still knows whose it is.
 */
import { z } from 'zod';
import { getMeta, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';

export const PENDING_ACCOUNT = 'account.pending';

const pending = z.object({
  accountId: z.string().min(1).max(100),
  personId: z.string().max(100).nullable(),
  role: z.enum(['coordinator', 'curator', 'viewer']),
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
