import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKey, privateKeyOf, publicKeyOf } from '../../core/sync/deviceKey.node';

describe('device keys parsed once', () => {
  const pair = () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return { pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(), priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  };

  it('gives the same parsed key for the same PEM, and a different one for another key', () => {
    const a = pair();
    const b = pair();
    expect(privateKeyOf(a.priv)).toBe(privateKeyOf(a.priv));
    expect(publicKeyOf(a.pub)).toBe(publicKeyOf(a.pub));
    expect(publicKeyOf(b.pub)).not.toBe(publicKeyOf(a.pub));
    const sig = sign(null, Buffer.from('пакет'), privateKeyOf(a.priv));
    expect(verify(null, Buffer.from('пакет'), publicKeyOf(a.pub), sig)).toBe(true);
    expect(verify(null, Buffer.from('пакет'), publicKeyOf(b.pub), sig)).toBe(false);
  });

  it('a damaged PEM still throws every time (a failure is not remembered as a key)', () => {
    expect(() => publicKeyOf('-----BEGIN PUBLIC KEY-----\nmusor\n-----END PUBLIC KEY-----')).toThrow();
    expect(() => publicKeyOf('-----BEGIN PUBLIC KEY-----\nmusor\n-----END PUBLIC KEY-----')).toThrow();
    expect(ed25519PublicKey('musor')).toBeNull();
  });
});
