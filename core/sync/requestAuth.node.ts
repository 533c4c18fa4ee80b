/**
 * Signing and checking the `x-device-auth` header of the hub's device routes (the format
 * is declared in core/contract/hub.ts): the laptop signs each request with its device key,
 * the hub checks the signature over the raw bytes before it opens a package.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { deviceAuthMessage, type DeviceAuth } from '../contract/hub';

export function deviceAuthHeader(device: string, privateKeyPem: string, method: string, target: string, body: Uint8Array, now = Date.now()): string {
  const ts = Math.round(now);
  const signature = sign(null, deviceAuthMessage(method, target, ts, body), createPrivateKey(privateKeyPem)).toString('base64');
  return `${device}.${ts}.${signature}`;
}

/** True when the signature is the device key's over this request; a malformed key or signature is simply false. */
export function deviceAuthValid(auth: DeviceAuth, publicKeyPem: string, method: string, target: string, body: Uint8Array): boolean {
  try {
    return verify(null, deviceAuthMessage(method, target, auth.ts, body), createPublicKey(publicKeyPem), Buffer.from(auth.signature, 'base64'));
  } catch {
    return false;
  }
}
