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

const MAX_INPUT_BYTES = 50 * 1024 * 1024;

export function isCallName(name: string): name is keyof typeof contract {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export async function dispatch(ctx: Ctx, name: string, input: unknown): Promise<Result<unknown>> {
  if (!isCallName(name)) return fail('unknown_call', `Неизвестный вызов: ${name.slice(0, 100)}`);
  const parsed = contract[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'validation', message: 'Проверьте выделенные поля', fields: fieldErrors(parsed.error) } };
  }
  const { touched, read } = ctx.store;
  const wroteFrom = touched.mark();
  const readFrom = read.mark();
  try {
    const handler = handlers[name] as (input: unknown, ctx: Ctx) => unknown;
    const value = await inCallTransaction(ctx.store, name, () => handler(parsed.data, ctx));
    const written = touched.since(wroteFrom);
    if (written.length > 0) ctx.emit({ type: 'data.changed', tables: written });
    return { ok: true, value: value ?? null, reads: read.since(readFrom) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
    logUnexpected(ctx, `dispatch ${name}`, e);
    return fail('internal', 'Внутренняя ошибка: действие не выполнено, данные не изменены.');
  }
}

export { MAX_INPUT_BYTES };

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
