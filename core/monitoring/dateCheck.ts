/** Adapter from the expertise rubric to the one date lint (core/rules/dateLint.ts, owned by the programmes editor). */
import { lintDate } from '../rules/dateLint';
import { readDue, type DueReading } from '../rules/due';
import type { DateCheck, DueRead } from '../rules/expertise';

type Checked = ReturnType<DateCheck>;

/**
 * The lint is a pure function of the text, and a region's 60,000 measures repeat a few
 * thousand date texts («в течение года», «до 01.09.2022»): remembering them halves the
 * time spent linting when all sheets are scored. Bounded so a long-running server stays small.
 */
const seen = new Map<string, Checked>();
const SEEN_MAX = 20_000;

export const checkMeasureDate: DateCheck = (m) => {
  const key = m.date_text ?? '';
  let r = seen.get(key);
  if (!r) {
    const lint = lintDate(m.date_text);
    r = lint.concrete ? { concrete: true, reason: null } : { concrete: false, reason: lint.issue?.reason ?? 'срок не указан' };
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(key, r);
  }
  return r;
};

const readings = new Map<string, DueReading>();

/** The due rule's reading of a measure's «Сроки», remembered per text like the lint above. */
export const readMeasureDue: DueRead = (m) => {
  if (m.date_from || m.date_to) return readDue(m.date_text, m.date_from, m.date_to);
  const key = m.date_text ?? '';
  let r = readings.get(key);
  if (!r) {
    r = readDue(key);
    if (readings.size >= SEEN_MAX) readings.clear();
    readings.set(key, r);
  }
  return r;
};
