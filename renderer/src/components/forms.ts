/** Small helpers every form uses: server errors next to fields, and the keyboard. */
import type { KeyboardEvent } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import type { ErrorData } from '../../../core/contract';

/**
 * Puts the core's field errors (`error.fields`, keyed by the input path; updates nest
 * fields under `patch.`) next to the fields of the form and focuses the first one.
 * Returns the text for the form's banner: the general message, plus any field the
 * form does not show.
 */
export function applyServerError<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, 'setError' | 'setFocus'>,
  error: ErrorData,
  shown: readonly string[],
  rename: Record<string, string> = {},
): string {
  const extra: string[] = [];
  let first: string | null = null;
  for (const [rawKey, message] of Object.entries(error.fields ?? {})) {
    const stripped = rawKey.replace(/^patch\./, '');
    const key = rename[stripped] ?? stripped;
    if (shown.includes(key)) {
      form.setError(key as Path<T>, { type: 'server', message });
      first ??= key;
    } else extra.push(message);
  }
  if (first) form.setFocus(first as Path<T>);
  return [error.message, ...extra].join(' ');
}

/**
 * For handleSubmit's onInvalid: focus the first field (in the form's visual order) that
 * has an error, so the user lands on what to fix.
 */
export function focusFirstError<T extends FieldValues>(form: Pick<UseFormReturn<T>, 'setFocus'>, order: readonly string[]) {
  return (errors: Partial<Record<string, unknown>>) => {
    const first = order.find((k) => errors[k]);
    if (first) setTimeout(() => form.setFocus(first as Path<T>), 0);
  };
}

/** Ctrl+Enter (⌘+Enter) submits from anywhere in the form, Esc cancels (in a dialog the dialog handles Esc). */
export function formKeys(submit: () => void, cancel?: () => void) {
  return (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && cancel) {
      e.preventDefault();
      cancel();
    }
  };
}

/** '' from a number input → null; anything else → a number (NaN makes the schema complain in Russian). */
export const numberOrNull = (v: unknown): number | null => (v === '' || v == null ? null : Number(v));
