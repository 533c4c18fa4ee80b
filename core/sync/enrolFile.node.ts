/**
 * Enrolment without ever being online: the laptop saves an enrolment request file (its
 * device id, public key and the one-time code, signed by the new device key), the region
 * imports it on the server and hands back a reply package — an ordinary hub package
 * addressed to this laptop whose manifest also carries the enrolment (district, the hub's
 * key). Importing the reply enrols the laptop and brings the district in the same
 * chunked, resumable import as any package.
 *
 * Trust: as with HTTP enrolment, the hub's key is learned from the enrolment answer; the
 * reply is bound to the request this laptop made (its id), is signed with the key it
 * carries (a changed byte is refused), and is refused once the laptop is enrolled.
 * Secrecy: the request names the laptop's X25519 key and the hub seals the reply (the whole
 * district) to it, so the file on its way back shows nothing; the reply names the hub's key.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import { z } from 'zod';
import { getMeta, maxOwnSeq, replicaOf, setMeta } from '../../db/replica';
import { accountClaim, adoptEnrolledAccount } from '../accounts/pending';
import type { Store } from '../../db/store';
import { BAD_KEY_MESSAGE, ed25519PublicKey } from './deviceKey.node';
import { deviceEncKeys, deviceKeys, enrolment, importPackage, META, unsealIncoming, type ImportOptions, type ImportResult } from './local.node';
import { openPackage, SyncRefusal, verifyPackage } from './package.node';

export const ENROL_REQUEST_KIND = 'shnor-enrol-request';
const MAX_REQUEST_BYTES = 64 * 1024;

const requestSchema = z.strictObject({
  kind: z.literal(ENROL_REQUEST_KIND),
  format: z.literal(1),
  id: z.string().uuid(),
  createdAt: z.string().max(40),
  device: z.string().min(1).max(100),
  publicKey: z.string().min(40).max(1000),
  /** The laptop's X25519 public key the reply is sealed to (absent from a request of a version before encryption). */
  encKey: z.string().min(40).max(1000).optional(),
  code: z.string().min(4).max(40),
  name: z.string().min(1).max(200),
  dataDistrictId: z.string().min(1).max(100).nullable(),
  /** The account the laptop proposes and the history it brings, as online (server/accounts.ts); absent from older requests. */
  account: z.strictObject({ id: z.string().min(1).max(100), personId: z.string().min(1).max(100).nullable() }).optional(),
  historyUpto: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

export type EnrolRequest = z.infer<typeof requestSchema>;

/** The file: the request as a JSON string and the signature of exactly those bytes. */
const fileSchema = z.strictObject({ request: z.string().max(MAX_REQUEST_BYTES), signature: z.string().max(200) });

const refuse = (reason: string, message: string): never => {
  throw new SyncRefusal(reason, message);
};

/** Laptop: writes the request and remembers its id, so only the reply to it is accepted. */
export function buildEnrolRequest(store: Store, code: string, name: string): { bytes: Uint8Array; request: EnrolRequest } {
  if (enrolment(store)) refuse('enrolled', 'Ноутбук уже подключён к району: запрос подключения не нужен.');
  const keys = deviceKeys(store);
  const request: EnrolRequest = {
    kind: ENROL_REQUEST_KIND,
    format: 1,
    id: uuidv4(),
    createdAt: new Date().toISOString(),
    device: replicaOf(store).deviceId,
    publicKey: keys.publicKey,
    encKey: deviceEncKeys(store).publicKey,
    code: code.trim().toUpperCase(),
    name,
    dataDistrictId: getMeta(store, 'district_id') ?? null,
    account: accountClaim(store),
    historyUpto: maxOwnSeq(store, replicaOf(store).deviceId),
  };
  const text = JSON.stringify(request);
  const signature = sign(null, Buffer.from(text), createPrivateKey(keys.privateKey)).toString('base64');
  setMeta(store, META.enrolRequest, request.id);
  return { bytes: new TextEncoder().encode(JSON.stringify({ request: text, signature }, null, 1)), request };
}

/** Hub: parses a request file and checks it is signed by the key it names. Throws SyncRefusal. */
export function readEnrolRequest(bytes: Uint8Array): EnrolRequest {
  if (bytes.length === 0) refuse('empty', 'Файл запроса подключения пуст.');
  if (bytes.length > MAX_REQUEST_BYTES) refuse('too_big', 'Это не файл запроса подключения: он слишком большой.');
  let file: z.infer<typeof fileSchema>;
  let request: EnrolRequest;
  try {
    file = fileSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    request = requestSchema.parse(JSON.parse(file.request));
  } catch {
    return refuse('bad_request_file', 'Это не файл запроса подключения или он повреждён: сохраните запрос на ноутбуке заново.');
  }
  // Before the signature, and before the hub spends the code: a damaged key leaves the code usable.
  if (!ed25519PublicKey(request.publicKey)) refuse('bad_key', BAD_KEY_MESSAGE);
  let ok: boolean;
  try {
    ok = verify(null, Buffer.from(file.request), createPublicKey(request.publicKey), Buffer.from(file.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) refuse('bad_signature', 'Подпись запроса подключения неверна: файл изменён после того, как его сохранили на ноутбуке.');
  return request;
}

/**
 * Laptop: imports the region's reply to its request. Everything is checked before a byte
 * is written; the enrolment itself is saved in the import's last transaction, so a crash
 * leaves the laptop unenrolled and the same file can be loaded again.
 */
export function importEnrolReply(store: Store, dataDir: string, bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  if (enrolment(store)) refuse('enrolled', 'Ноутбук уже подключён к району: ответ на запрос подключения уже загружен (повтор).');
  const pending = getMeta(store, META.enrolRequest);
  if (!pending) refuse('no_request', 'На этом ноутбуке не сохраняли запрос подключения: сначала введите код и сохраните файл запроса.');
  const plain = unsealIncoming(store, bytes);
  const opened = openPackage(plain);
  const m = opened.manifest;
  const e = m.enrolment;
  if (!e || m.sender.role !== 'hub') {
    refuse('not_enrol_reply', 'Это не ответ на запрос подключения. Загрузите файл, который вернули из региона в ответ на запрос этого ноутбука.');
  }
  if (e!.request !== pending) {
    refuse('foreign_request', 'Ответ выдан на другой запрос подключения (другого ноутбука или более ранний): загрузите ответ на последний запрос этого ноутбука.');
  }
  verifyPackage(opened, e!.hubKey);
  if (m.sender.district !== e!.district.id) refuse('foreign_district', 'Ответ на запрос подключения противоречит сам себе: район отправителя другой.');
  adoptEnrolledAccount(store, e!.account);
  return importPackage(store, dataDir, plain, {
    ...options,
    enrolling: {
      enrolment: { server: '', district: e!.district.id, districtName: e!.district.name, hubDevice: m.sender.device, hubKey: e!.hubKey, hubEncKey: m.encKey ?? null },
      dataDistrictId: e!.dataDistrictId,
    },
  });
}
