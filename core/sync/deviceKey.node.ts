/**
 * A device's public key as enrolment accepts it: Ed25519 (the only kind package and request
 * signatures are checked with), in SPKI PEM. Parsed before a one-time code is spent, so a
 * damaged key is refused and the code stays usable.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

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

/**
 * Parsed keys by their PEM text. Parsing a PEM costs about a millisecond, and every exchange
 * signs or checks several times (request header, package manifest): a CPU profile of 50
 * laptops syncing at once put a third of the hub's time there. Bounded: a region has a few
 * thousand devices at most, and the map starts afresh if it ever holds more.
 */
const parsed = new Map<string, KeyObject>();
const MAX_PARSED = 4096;

function parsedKey(pem: string, parse: (pem: string) => KeyObject): KeyObject {
  let key = parsed.get(pem);
  if (!key) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    key = parse(pem);
    parsed.set(pem, key);
  }
  return key;
}

export const privateKeyOf = (pem: string): KeyObject => parsedKey(pem, createPrivateKey);
export const publicKeyOf = (pem: string): KeyObject => parsedKey(pem, createPublicKey);
