/**
 * A device's public key as enrolment accepts it: Ed25519 (the only kind package and request
 * signatures are checked with), in SPKI PEM. Parsed before a one-time code is spent, so a
 * damaged key is refused and the code stays usable.
 */
import { createPublicKey } from 'node:crypto';

/** The key in canonical SPKI PEM, or null when it is not an Ed25519 public key. */
export function ed25519PublicKey(pem: string): string | null {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') return null;
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return null;
  }
}

export const BAD_KEY_MESSAGE =
  'Открытый ключ устройства повреждён или это не ключ Ed25519: подключение не выполнено, код подключения остаётся действительным. Повторите подключение с этого ноутбука.';
