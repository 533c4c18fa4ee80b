import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEncKeys, isEnvelope, MAX_ENVELOPE_BYTES, openEnvelope, openEnvelopeAsync, sealEnvelope, x25519PublicKey } from '../../core/sync/envelope.node';
import { SyncRefusal } from '../../core/sync/package.node';

const me = generateEncKeys();
const other = generateEncKeys();

/** The refusal's reason, or null when `open` succeeded. */
function refusalOf(open: () => unknown): string | null {
  try {
    open();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(SyncRefusal);
    expect((e as SyncRefusal).message).toMatch(/[а-яё]{4}/i);
    return (e as SyncRefusal).reason;
  }
}

describe('envelope', () => {
  it('round-trips any size, across chunk boundaries, and hides the contents', async () => {
    const chunk = 4096;
    for (const n of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 3 * chunk + 17]) {
      const plain = randomBytes(n);
      const sealed = sealEnvelope(plain, me.publicKey, 12);
      expect(isEnvelope(sealed)).toBe(true);
      expect(Buffer.from(openEnvelope(sealed, me)).equals(plain)).toBe(true);
      expect(Buffer.from(await openEnvelopeAsync(sealed, me)).equals(plain)).toBe(true);
    }
    const text = Buffer.from('Иванова Мария Петровна, школа № 5 '.repeat(100));
    const sealed = Buffer.from(sealEnvelope(text, me.publicKey));
    expect(sealed.includes(Buffer.from('Иванова'))).toBe(false);
    // A fresh ephemeral key each time: the same package never seals to the same bytes.
    expect(sealed.equals(Buffer.from(sealEnvelope(text, me.publicKey)))).toBe(false);
  });

  it('is refused by anyone but its recipient', () => {
    const sealed = sealEnvelope(Buffer.from('пакет'), me.publicKey);
    expect(refusalOf(() => openEnvelope(sealed, other))).toBe('wrong_recipient');
    // The key id says "for me", but the key pair is another: the content key differs, so it fails as tampering.
    expect(refusalOf(() => openEnvelope(sealed, { publicKey: me.publicKey, privateKey: other.privateKey }))).toBe('tampered');
  });

  it('refuses a changed byte anywhere: header, ephemeral key, body or tag', () => {
    const plain = randomBytes(3 * 4096 + 100);
    const sealed = sealEnvelope(plain, me.publicKey, 12);
    for (const at of [7, 30, 60, 100, 4096 + 80, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = bad[at]! ^ 0x01;
      expect(refusalOf(() => openEnvelope(bad, me)), `byte ${at}`).toMatch(/^(tampered|wrong_recipient)$/);
    }
    // The version byte: a newer one asks for a newer program.
    const newer = Buffer.from(sealed);
    newer[6] = 2;
    expect(refusalOf(() => openEnvelope(newer, me))).toBe('newer_envelope');
  });

  it('refuses a truncated envelope, also cut exactly at a chunk boundary, and an extended one', () => {
    const chunk = 4096;
    const sealed = Buffer.from(sealEnvelope(randomBytes(3 * chunk), me.publicKey, 12));
    const header = 56;
    for (const length of [10, header, header + 15, header + chunk + 16, header + 2 * (chunk + 16), sealed.length - 1]) {
      expect(refusalOf(() => openEnvelope(sealed.subarray(0, length), me)), `length ${length}`).toBe('tampered');
    }
    expect(refusalOf(() => openEnvelope(Buffer.concat([sealed, sealed.subarray(header, header + chunk + 16)]), me))).toBe('tampered');
  });

  it('refuses an oversized envelope before reading it, and plain bytes as not sealed', () => {
    const huge = Buffer.alloc(MAX_ENVELOPE_BYTES + 1);
    Buffer.from(sealEnvelope(Buffer.from('x'), me.publicKey)).copy(huge);
    expect(refusalOf(() => openEnvelope(huge, me))).toBe('too_big');
    expect(refusalOf(() => sealEnvelope(huge, me.publicKey))).toBe('too_big');
    expect(refusalOf(() => openEnvelope(Buffer.from('PK\u0003\u0004 a zip'), me))).toBe('not_sealed');
  });

  it('accepts only X25519 public keys', () => {
    expect(x25519PublicKey(me.publicKey)).toBe(me.publicKey);
    expect(x25519PublicKey(me.privateKey)).toBe(me.publicKey);
    expect(x25519PublicKey('не ключ')).toBeNull();
  });
});
