/**
 * The laptop's side of district accounts on the regional server (server/accounts.ts): the
 * coordinator issues a code for a person, and a laptop takes an account with a code. Both are
 * device-signed requests, so the hub knows which laptop asks and for which of its accounts.
 */
import type { DistrictRole } from '../rules/permissions';
import { AppError } from '../../db/errors';
import type { Ctx } from '../context';
import { hubRoutes } from '../contract/hub';
import { enrolment } from '../sync/local.node';
import { postSignedJson } from '../sync/client';
import { issueLocally } from './codes.node';

function requireOnlineHub(ctx: Ctx): void {
  const e = enrolment(ctx.store);
  if (!e) throw new AppError('not_enrolled', 'Ноутбук не подключён к серверу района: сначала подключитесь на странице «Синхронизация».');
  if (!e.server) throw new AppError('offline_only', 'Этот ноутбук обменивается с сервером только файлами: добавить учётную запись по коду можно на ноутбуке, подключённом к серверу, или подключив новый ноутбук через файл запроса.');
}

/**
 * Over the server when the laptop syncs online; on a laptop that syncs only by files the code
 * is made here and its hash goes in the next package, so it works once that package reaches the region.
 */
export async function issueCodeOnHub(ctx: Ctx, input: { personId: string; role: DistrictRole }): Promise<{ code: string; expiresAt: string; via: 'server' | 'package' }> {
  const e = enrolment(ctx.store);
  if (!e) throw new AppError('not_enrolled', 'Ноутбук не подключён к серверу района: коды для входа выдаются через сервер или в пакете синхронизации. Подключитесь на странице «Синхронизация».');
  const requester = ctx.store.session?.accountId;
  if (!requester) throw new AppError('locked', 'Войдите в свою учётную запись, чтобы выдавать коды.');
  if (!e.server) return { ...issueLocally(ctx.store, { personId: input.personId, role: input.role, issuer: requester }), via: 'package' };
  const issued = await postSignedJson(ctx.store, hubRoutes.issueAccountCode.url, { requester, personId: input.personId, role: input.role }, hubRoutes.issueAccountCode.reply);
  return { ...issued, via: 'server' };
}

export async function bindAccountOnHub(ctx: Ctx, code: string): Promise<{ accountId: string; personId: string | null; role: DistrictRole }> {
  requireOnlineHub(ctx);
  const bound = await postSignedJson(ctx.store, hubRoutes.bindAccount.url, { code: code.trim().toUpperCase(), accountId: null }, hubRoutes.bindAccount.reply);
  if (!bound.personId) throw new AppError('no_person', 'Код выдан без указания человека: попросите координатора выдать код из карточки человека.');
  return bound;
}
