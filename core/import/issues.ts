/** A refused row's reason from a contract schema's issues: the column's label and the Russian message. */
import type { z } from 'zod';

export type Labels = Readonly<Record<string, string>>;

export function firstIssue(error: z.ZodError, labels: Labels): string {
  const issue = error.issues[0];
  if (!issue) return 'Строка не прошла проверку.';
  const field = String(issue.path[0] ?? '');
  return `${labels[field] ?? field}: ${issue.message}`.replace(/^: /, '');
}
