/**
 * The laptop's keyring: `<data>/keyring.json`, read before the database can be opened.
 *
 * The database and attachments are encrypted with one random data key. Each account keeps
 * that key wrapped (AES-256-GCM) under a key derived from its password with scrypt, which is
 * memory-hard (32 MiB per try here), so a stolen file gives a thief nothing to try passwords
 * against quickly. A password is right exactly when the unwrap's tag verifies: sign-in works
 * offline and needs no password hash beside the wrapped key. The file itself holds no secret
 * in the clear: names and roles only, for the sign-in screen.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, scryptSync, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../../db/files.node';
import { ROLES } from '../rules/permissions';

export const KEYRING_FILE = 'keyring.json';
export const DATA_KEY_BYTES = 32;
export const DEFAULT_IDLE_MINUTES = 15;

/** N = 2^15, r = 8: 32 MiB and about a tenth of a second per try on these laptops. */
const KDF = { N: 1 << 15, r: 8, p: 1 } as const;

const b64 = z.string().max(200).regex(/^[A-Za-z0-9+/=]*$/);

const storedAccount = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().max(300),
  role: z.enum(ROLES),
  personId: z.string().max(100).nullable(),
  kdf: z.strictObject({ N: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive(), salt: b64 }),
  wrapped: z.strictObject({ iv: b64, tag: b64, key: b64 }),
  createdAt: z.string().max(40),
});

const keyringFile = z.strictObject({
  version: z.literal(1),
  accounts: z.array(storedAccount).max(100),
  idleMinutes: z.number().int().min(1).max(240),
  /** The account that signed in last: the sign-in screen offers it first. */
  lastAccountId: z.string().max(100).nullable(),
});

export type StoredAccount = z.infer<typeof storedAccount>;
export type Keyring = z.infer<typeof keyringFile>;

export function emptyKeyring(): Keyring {
  return { version: 1, accounts: [], idleMinutes: DEFAULT_IDLE_MINUTES, lastAccountId: null };
}

/** The keyring of a data folder, or null when the laptop has no accounts yet. */
export function readKeyring(dataDir: string): Keyring | null {
  const file = path.join(dataDir, KEYRING_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const parsed = keyringFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Файл учётных записей ${file} повреждён: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Written whole to a temporary file, flushed, then renamed over: a crash leaves the old or the new keyring. */
export function writeKeyring(dataDir: string, keyring: Keyring): void {
  fs.mkdirSync(dataDir, { recursive: true });
  writeFileAtomically(path.join(dataDir, KEYRING_FILE), JSON.stringify(keyringFile.parse(keyring), null, 2), 0o600);
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

const scryptOptions = (kdf: { N: number; r: number; p: number }): ScryptOptions => ({ ...kdf, maxmem: 256 * kdf.N * kdf.r });

function derive(password: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, DATA_KEY_BYTES, scryptOptions(kdf), (e, key) => (e ? reject(e) : resolve(key))));
}

/** The data key wrapped for one account's password; the account's id is bound in as associated data. */
export async function wrapFor(account: Omit<StoredAccount, 'kdf' | 'wrapped'>, password: string, dataKey: Buffer): Promise<StoredAccount> {
  const salt = randomBytes(16);
  return seal(account, salt, await derive(password, salt, KDF), dataKey);
}

/** The same, on the calling thread: only for setting up the demo district's accounts at start. */
export function wrapForSync(account: Omit<StoredAccount, 'kdf' | 'wrapped'>, password: string, dataKey: Buffer): StoredAccount {
  const salt = randomBytes(16);
  return seal(account, salt, scryptSync(password.normalize('NFC'), salt, DATA_KEY_BYTES, scryptOptions(KDF)), dataKey);
}

function seal(account: Omit<StoredAccount, 'kdf' | 'wrapped'>, salt: Buffer, kek: Buffer, dataKey: Buffer): StoredAccount {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(account.id));
  const key = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return {
    ...account,
    kdf: { ...KDF, salt: salt.toString('base64') },
    wrapped: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), key: key.toString('base64') },
  };
}

/** The data key, or null when the password is wrong (or the entry was tampered with). */
export async function unwrap(account: StoredAccount, password: string): Promise<Buffer | null> {
  const kek = await derive(password, Buffer.from(account.kdf.salt, 'base64'), account.kdf);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(account.wrapped.iv, 'base64'));
  decipher.setAAD(Buffer.from(account.id));
  decipher.setAuthTag(Buffer.from(account.wrapped.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(account.wrapped.key, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}
