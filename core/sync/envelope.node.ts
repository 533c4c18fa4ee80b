/**
 * The envelope: a signed package sealed to its one recipient, so the bytes on a lost USB stick
 * or on a plain-HTTP wire show nothing (sign-then-encrypt: the package inside keeps its
 * signature, checked after opening as before).
 *
 *   header  "SHNENV" | version (1) | log2 chunk size (1) | recipient key id (16) | ephemeral X25519 public key (32)
 *   body    the package in chunks of `chunk` bytes (the last shorter), each AES-256-GCM with its 16-byte tag
 *
 * Key: HKDF-SHA256 over X25519(ephemeral, recipient), salted with both public keys; a fresh
 * ephemeral key per envelope, so the key is never reused and chunk nonces can count from 0.
 * The nonce holds the chunk's index and a last-chunk flag, and every chunk authenticates the
 * header: a reordered, dropped, truncated or extended chunk fails like a changed byte.
 * Chunks keep memory at the sealed and the plain copy, and let the hub open a large envelope
 * a chunk at a time between other requests (openEnvelopeAsync).
 */
import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from './deviceKey.node';
import { MAX_PACKAGE_BYTES, SyncRefusal } from './package.node';

const MAGIC = Buffer.from('SHNENV', 'latin1');
export const ENVELOPE_VERSION = 1;
const KEY_ID_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 2 + KEY_ID_BYTES + 32;
const TAG_BYTES = 16;
const DEFAULT_CHUNK_LOG2 = 20;
/** Chunk sizes a reader accepts: 4 KiB to 16 MiB. */
const MIN_CHUNK_LOG2 = 12;
const MAX_CHUNK_LOG2 = 24;
const INFO = Buffer.from('shnor-envelope-1', 'latin1');
/** Chunks opened between two yields to the event loop (openEnvelopeAsync): about 4 MiB, a few milliseconds. */
const CHUNKS_PER_TURN = 4;

/** An X25519 key pair in PEM (SPKI public, PKCS#8 private), kept like the signing key. */
export interface EncKeys {
  privateKey: string;
  publicKey: string;
}

export function generateEncKeys(): EncKeys {
  return generateKeyPairSync('x25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

/** The key in canonical SPKI PEM, or null when it is not an X25519 public key. */
export function x25519PublicKey(pem: string): string | null {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'x25519') return null;
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return null;
  }
}

const rawOf = (key: KeyObject): Buffer => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
const keyIdOf = (raw: Uint8Array): Buffer => createHash('sha256').update(raw).digest().subarray(0, KEY_ID_BYTES);

/** True when the bytes start as an envelope (a plain package starts as a zip, "PK"). */
export function isEnvelope(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.equals(bytes.subarray(0, MAGIC.length));
}

/** Largest envelope accepted: the largest package plus its headers and tags at the smallest chunk size. */
export const MAX_ENVELOPE_BYTES = HEADER_BYTES + MAX_PACKAGE_BYTES + Math.ceil(MAX_PACKAGE_BYTES / 2 ** MIN_CHUNK_LOG2 + 1) * TAG_BYTES;

const refuse = (reason: string, message: string): never => {
  throw new SyncRefusal(reason, message);
};

const TAMPERED = 'Зашифрованный пакет повреждён, обрезан или изменён: проверка подлинности не прошла. Передайте файл заново; ничего не изменено.';

function contentKey(shared: Buffer, ephemeralRaw: Uint8Array, recipientRaw: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), INFO, 32));
}

function nonceOf(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n[0] = last ? 1 : 0;
  n.writeUInt32BE(index, 8);
  return n;
}

/** Seals `plain` to the recipient's X25519 public key (SPKI PEM). */
export function sealEnvelope(plain: Uint8Array, recipientPublicKeyPem: string, chunkLog2 = DEFAULT_CHUNK_LOG2): Uint8Array {
  if (plain.length > MAX_PACKAGE_BYTES) refuse('too_big', 'Пакет слишком большой: больше 512 МБ.');
  if (chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) throw new RangeError('envelope: chunk size out of range');
  const recipient = publicKeyOf(recipientPublicKeyPem);
  const recipientRaw = rawOf(recipient);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawOf(ephemeral.publicKey);
  const key = contentKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), ephemeralRaw, recipientRaw);
  const chunk = 2 ** chunkLog2;
  const chunks = Math.max(1, Math.ceil(plain.length / chunk));
  const out = Buffer.allocUnsafeSlow(HEADER_BYTES + plain.length + chunks * TAG_BYTES);
  let at = MAGIC.copy(out, 0);
  out[at++] = ENVELOPE_VERSION;
  out[at++] = chunkLog2;
  at += keyIdOf(recipientRaw).copy(out, at);
  at += ephemeralRaw.copy(out, at);
  const header = out.subarray(0, HEADER_BYTES);
  for (let i = 0; i < chunks; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, nonceOf(i, i === chunks - 1));
    cipher.setAAD(header);
    at += cipher.update(plain.subarray(i * chunk, (i + 1) * chunk)).copy(out, at);
    at += cipher.final().copy(out, at);
    at += cipher.getAuthTag().copy(out, at);
  }
  return asBytes(out);
}

/** A Buffer as a plain Uint8Array: callers' `slice` must copy, as it does on every other package's bytes (Buffer's slice is a view). */
const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** One envelope being opened: the header checked, the key derived, the plain output allocated. */
interface Opening {
  key: Buffer;
  header: Uint8Array;
  chunk: number;
  chunks: number;
  out: Buffer;
}

function startOpening(sealed: Uint8Array, recipient: EncKeys): Opening {
  if (!isEnvelope(sealed)) refuse('not_sealed', 'Это не зашифрованный пакет.');
  if (sealed.length > MAX_ENVELOPE_BYTES) refuse('too_big', 'Пакет слишком большой: больше 512 МБ.');
  if (sealed.length < HEADER_BYTES + TAG_BYTES) refuse('tampered', TAMPERED);
  const version = sealed[MAGIC.length]!;
  if (version > ENVELOPE_VERSION) {
    refuse('newer_envelope', `Пакет зашифрован более новой версией программы (конверт версии ${version}, эта версия понимает ${ENVELOPE_VERSION}). Обновите программу и загрузите пакет снова.`);
  }
  if (version !== ENVELOPE_VERSION) refuse('tampered', TAMPERED);
  const chunkLog2 = sealed[MAGIC.length + 1]!;
  if (chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) refuse('tampered', TAMPERED);
  const recipientRaw = rawOf(publicKeyOf(recipient.publicKey));
  const keyIdAt = MAGIC.length + 2;
  if (!keyIdOf(recipientRaw).equals(sealed.subarray(keyIdAt, keyIdAt + KEY_ID_BYTES))) {
    refuse(
      'wrong_recipient',
      'Пакет зашифрован для другого получателя (другого ноутбука или другого сервера): открыть его может только тот, кому он выгружен. Ничего не изменено.',
    );
  }
  const ephemeralRaw = sealed.subarray(keyIdAt + KEY_ID_BYTES, HEADER_BYTES);
  let shared: Buffer;
  try {
    const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(ephemeralRaw).toString('base64url') }, format: 'jwk' });
    shared = diffieHellman({ privateKey: privateKeyOf(recipient.privateKey), publicKey: ephemeral });
  } catch {
    return refuse('tampered', TAMPERED);
  }
  const chunk = 2 ** chunkLog2;
  const body = sealed.length - HEADER_BYTES;
  const chunks = Math.ceil(body / (chunk + TAG_BYTES));
  // The last chunk holds at least its tag.
  const lastSealed = body - (chunks - 1) * (chunk + TAG_BYTES);
  if (lastSealed < TAG_BYTES) refuse('tampered', TAMPERED);
  return { key: contentKey(shared, ephemeralRaw, recipientRaw), header: sealed.subarray(0, HEADER_BYTES), chunk, chunks, out: Buffer.allocUnsafeSlow(body - chunks * TAG_BYTES) };
}

function openChunk(o: Opening, sealed: Uint8Array, i: number): void {
  const start = HEADER_BYTES + i * (o.chunk + TAG_BYTES);
  const end = Math.min(sealed.length, start + o.chunk + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', o.key, nonceOf(i, i === o.chunks - 1));
    decipher.setAAD(o.header);
    decipher.setAuthTag(sealed.subarray(end - TAG_BYTES, end));
    const at = i * o.chunk;
    decipher.update(sealed.subarray(start, end - TAG_BYTES)).copy(o.out, at);
    decipher.final();
  } catch {
    refuse('tampered', TAMPERED);
  }
}

/** Opens an envelope with the recipient's key pair; throws SyncRefusal (not for us, changed, truncated, too big). */
export function openEnvelope(sealed: Uint8Array, recipient: EncKeys): Uint8Array {
  const o = startOpening(sealed, recipient);
  for (let i = 0; i < o.chunks; i++) openChunk(o, sealed, i);
  return asBytes(o.out);
}

/** openEnvelope a few chunks per turn of the event loop: the hub keeps answering other requests while a large package opens. */
export async function openEnvelopeAsync(sealed: Uint8Array, recipient: EncKeys): Promise<Uint8Array> {
  const o = startOpening(sealed, recipient);
  for (let i = 0; i < o.chunks; i++) {
    if (i > 0 && i % CHUNKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    openChunk(o, sealed, i);
  }
  return asBytes(o.out);
}
