/**
 * What a screen that failed to render tells the core (its log file) and the user (the text
 * «Скопировать подробности» copies): the error, the component stack, the screen and the version.
 * Pure, so it is tested without a DOM.
 */
import { REPORT_LIMITS } from '../../../core/contract/app';
import type { InputOf } from '../../../core/contract';
import { t } from '../i18n/ru';

export type FailureReport = InputOf<'app.reportError'>;

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function failureReport(error: unknown, componentStack: string, route: string, appVersion: string): FailureReport {
  const e = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
  return {
    message: cut(`${e.name}: ${e.message}`, REPORT_LIMITS.message),
    stack: cut(e.stack ?? '', REPORT_LIMITS.stack),
    componentStack: cut(componentStack.trim(), REPORT_LIMITS.stack),
    route: cut(route || '/', REPORT_LIMITS.route),
    appVersion: cut(appVersion, REPORT_LIMITS.route),
  };
}

export function failureText(r: FailureReport): string {
  const s = t.common.screenError;
  // A V8 stack begins with the message itself: said once.
  const error = r.stack.startsWith(r.message) ? [r.stack] : [r.message, '', r.stack];
  return [`${s.route}: ${r.route}`, `${s.version}: ${r.appVersion || '—'}`, '', ...error, '', `${s.components}:`, r.componentStack].join('\n').trim();
}
