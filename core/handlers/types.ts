import type { CallOutput, CallParsed } from '../contract/define';
import type { Ctx } from '../context';

/** The implementation of an area's calls: input already validated by its zod schema. */
export type Handlers<C> = {
  [K in keyof C]: (input: CallParsed<C[K]>, ctx: Ctx) => CallOutput<C[K]> | Promise<CallOutput<C[K]>>;
};
