/**
 * A hub on HTTPS with a certificate of the region's own authority (or self-signed): the laptop
 * trusts the PEM file that SHNOR_HUB_CA names, besides the usual authorities. Without it, node's
 * fetch checks the hub's certificate against the usual authorities only.
 */
import fs from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { AppError } from '../../db/errors';

let trusted: { file: string; agent: Agent } | null = null;

/** The fetch dispatcher for a request to `url`: undefined (the default) unless SHNOR_HUB_CA is set and the address is https. */
export function hubDispatcher(url: string): Agent | undefined {
  const file = process.env.SHNOR_HUB_CA;
  if (!file || !url.startsWith('https:')) return undefined;
  if (trusted?.file === file) return trusted.agent;
  let ca: string;
  try {
    ca = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('no_hub_ca', `Не удалось прочитать сертификат сервера из файла ${file} (переменная SHNOR_HUB_CA): проверьте путь.`);
  }
  trusted = { file, agent: new Agent({ connect: { ca: [...rootCertificates, ca] } }) };
  return trusted.agent;
}
