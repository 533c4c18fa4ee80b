/**
 * Adapter from the expertise rubric to the one date lint (core/rules/dateLint.ts, owned by
 * the programmes editor). Until that module lands, a measure counts as concrete exactly
 * when the editor could parse a date from its «Сроки» (date_from is set only then) —
 * no second list of vague phrases is kept here.
 */
import type { DateCheck } from '../rules/expertise';

export const checkMeasureDate: DateCheck = (m) =>
  m.date_from ? { concrete: true, reason: null } : { concrete: false, reason: 'в сроке нет конкретной даты' };
