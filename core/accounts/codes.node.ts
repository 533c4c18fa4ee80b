/**
 * One-time codes that bind a laptop to an account: how they look and how they are kept (only
 * their SHA-256 travels and is stored). The hub makes them for the region and for a coordinator
 * online; a coordinator's laptop that syncs only by files makes them itself and sends their
 * hashes in its next package (`codes` in the manifest), so the code works once that package
 * reaches the region.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getMeta, setMeta } from '../../db/replica';
import type { Store } from '../../db/store';
import { DISTRICT_ROLES } from '../rules/permissions';

export const CODE_TTL_DAYS = 14;
const OUTGOING = 'account.codes.outgoing';

export const codeHash = (code: string): string => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

/** Twelve letters and digits that cannot be confused (no 0/O, 1/I), in groups of four. */
export function newCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const raw = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
}

export const expiryFrom = (now: Date): string => new Date(now.getTime() + CODE_TTL_DAYS * 86_400_000).toISOString();

/** A code issued on this laptop, as its package carries it to the hub. */
export const outgoingCode = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  personId: z.string().min(1).max(100),
  role: z.enum(DISTRICT_ROLES),
  /** The account that issued it: the hub accepts it only from a coordinator account bound to the signing device. */
  issuer: z.string().min(1).max(100),
  expiresAt: z.string().max(40),
});
export type OutgoingCode = z.infer<typeof outgoingCode>;

/** The codes this laptop issued that have not expired: every package carries them (the hub stores each once). */
export function outgoingCodes(store: Store, now = new Date()): OutgoingCode[] {
  const raw = getMeta(store, OUTGOING);
  const parsed = raw ? z.array(outgoingCode).safeParse(JSON.parse(raw)) : null;
  return (parsed?.success ? parsed.data : []).filter((c) => c.expiresAt > now.toISOString());
}

/** A code for a person made on this laptop; the code itself is shown once and never stored. */
export function issueLocally(store: Store, input: Omit<OutgoingCode, 'hash' | 'expiresAt'>, now = new Date()): { code: string; expiresAt: string } {
  const code = newCode();
  const expiresAt = expiryFrom(now);
  setMeta(store, OUTGOING, JSON.stringify([...outgoingCodes(store, now), { ...input, hash: codeHash(code), expiresAt }]));
  return { code, expiresAt };
}
