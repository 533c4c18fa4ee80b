/** Adapter from the expertise rubric to the one date lint (core/rules/dateLint.ts, owned by the programmes editor). */
import { lintDate } from '../rules/dateLint';
import type { DateCheck } from '../rules/expertise';

export const checkMeasureDate: DateCheck = (m) => {
  const r = lintDate(m.date_text);
  return r.concrete ? { concrete: true, reason: null } : { concrete: false, reason: r.issue?.reason ?? 'срок не указан' };
};
