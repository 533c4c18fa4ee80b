/**
 * The one entry point both transports call (Electron IPC and the browser-mode host).
 * Validates input against the contract, runs the handler, turns every failure into data.
 */
import { AppError } from '../db/errors';
import { contract, type Result } from './contract';
import { fieldErrors } from './contract/common';
import { logUnexpected, type Ctx } from './context';
import { handlers } from './handlers';
import { inCallTransaction } from './callTransaction';
import { recordingUndo } from './undo/history';
import { AUTH_CALLS, type AuthCall } from './contract/auth';
import { ACTION_OF_CALL, decide, grantOf } from './rules/permissions';
import type { Session } from '../db/store';

const MAX_INPUT_BYTES = 50 * 1024 * 1024;

export function isCallName(name: string): name is keyof typeof contract {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export async function dispatch(ctx: Ctx, name: string, input: unknown): Promise<Result<unknown>> {
  if (!isCallName(name) || isAuthCall(name)) return fail('unknown_call', `Неизвестный вызов: ${name.slice(0, 100)}`);
  const refusal = refusalOf(ctx.store.session, name);
  if (refusal) return fail('forbidden', refusal);
  const parsed = contract[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'validation', message: 'Проверьте выделенные поля', fields: fieldErrors(parsed.error) } };
  }
  const { touched, read } = ctx.store;
  const wroteFrom = touched.mark();
  const readFrom = read.mark();
  try {
    const handler = handlers[name as Exclude<typeof name, AuthCall>] as (input: unknown, ctx: Ctx) => unknown;
    let step: number | undefined;
    const value = await inCallTransaction(ctx.store, name, () => recordingUndo(ctx.store, name, () => handler(parsed.data, ctx), (id) => (step = id)));
    const written = touched.since(wroteFrom);
    if (written.length > 0) ctx.emit({ type: 'data.changed', tables: written });
    return { ok: true, value: value ?? null, reads: read.since(readFrom), ...(step !== undefined ? { step } : {}) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
    logUnexpected(ctx, `dispatch ${name}`, e);
    return fail('internal', 'Внутренняя ошибка: действие не выполнено, данные не изменены.');
  }
}

export { MAX_INPUT_BYTES };

const AUTH = new Set<string>(AUTH_CALLS);
/** Auth calls are answered by core/accounts (they work while the laptop is locked), never here. */
export const isAuthCall = (name: string): name is AuthCall => AUTH.has(name);

/**
 * The permissions rule at the door: a call whose action the role may not do at all is refused
 * before its input is looked at. Actions granted for own schools only pass here; the write
 * guard (core/accounts/writeGuard.ts) decides them row by row, as the hub does. No session
 * (a laptop without accounts yet) refuses nothing.
 */
function refusalOf(session: Session | null, name: Exclude<keyof typeof ACTION_OF_CALL, AuthCall>): string | null {
  if (!session) return null;
  const action = ACTION_OF_CALL[name];
  if (grantOf(session.role, action) !== null) return null;
  const decision = decide({ role: session.role, personId: session.personId }, action);
  return decision.allowed ? null : decision.reason;
}

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
