/**
 * The shape of the contract between the renderer and the core. Every call is declared
 * once: a name, a zod schema for its input (validated in the main process / host) and
 * its result type (a phantom, for the renderer's types).
 */
import type { z } from 'zod';

export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Phantom: never set at run time, carries the result type. */
  output?: O;
}

/** `call<Result>()(inputSchema)` declares one call. */
export const call =
  <O>() =>
  <I extends z.ZodType>(input: I): CallSpec<I, O> => ({ input });

export type CallInput<C> = C extends CallSpec<infer I, unknown> ? z.input<I> : never;
export type CallParsed<C> = C extends CallSpec<infer I, unknown> ? z.output<I> : never;
export type CallOutput<C> = C extends CallSpec<z.ZodType, infer O> ? O : never;

export interface ErrorData {
  code: string;
  message: string;
  /** Field path → Russian message, for messages next to the field. */
  fields?: Record<string, string>;
}

/**
 * `reads`: the tables the call's queries named, so a screen reloads only when one of them changes.
 * `step`: the undo step the call's writes became (core/undo), for a toast that takes back exactly this call.
 */
export type Result<T> = { ok: true; value: T; reads?: string[]; step?: number } | { ok: false; error: ErrorData };
