/**
 * Signing and checking the `x-device-auth` header of the hub's device routes (the format
 * is declared in core/contract/hub.ts): the laptop signs each request with its device key
 * and a fresh random nonce, the hub checks the signature over the raw bytes before it opens
 * a package and refuses a nonce it has seen.
 */
import { randomBytes, sign, verify } from 'node:crypto';
import { deviceAuthMessage, type DeviceAuth } from '../contract/hub';
import { privateKeyOf, publicKeyOf } from './deviceKey.node';

export function deviceAuthHeader(device: string, privateKeyPem: string, method: string, target: string, body: Uint8Array, now = Date.now()): string {
  const ts = Math.round(now);
  const nonce = randomBytes(16).toString('base64url');
  const signature = sign(null, deviceAuthMessage(method, target, ts, nonce, body), privateKeyOf(privateKeyPem)).toString('base64');
  return `${device}.${ts}.${nonce}.${signature}`;
}

/** True when the signature is the device key's over this request; a malformed key or signature is simply false. */
export function deviceAuthValid(auth: DeviceAuth, publicKeyPem: string, method: string, target: string, body: Uint8Array): boolean {
  try {
    return verify(null, deviceAuthMessage(method, target, auth.ts, auth.nonce, body), publicKeyOf(publicKeyPem), Buffer.from(auth.signature, 'base64'));
  } catch {
    return false;
  }
}
