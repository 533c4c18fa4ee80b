/**
 * The frame every import wizard sits in: the title, the steps with the current one marked,
 * the way back to the choice of import, and the one place an import's error is shown.
 */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { t } from '../../i18n/ru';

const tr = t.imports;

interface ImportFrameProps {
  title: string;
  steps: readonly string[];
  step: number;
  error: string | null;
  children: ReactNode;
}

export function ImportFrame({ title, steps, step, error, children }: ImportFrameProps) {
  return (
    <section className="page import-page">
      <div className="page-head">
        <h1>{title}</h1>
        <Link href="/">{tr.back}</Link>
      </div>
      <ol className="import-steps" aria-label="Шаги">
        {steps.map((s, i) => (
          <li key={s} className={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      {error && (
        <div className="form-error" role="alert" data-testid="import-error">
          {error}
        </div>
      )}
      {children}
    </section>
  );
}
