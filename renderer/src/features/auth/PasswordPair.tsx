import { Field } from '../../components/Field';
import { t } from '../../i18n/ru';

export interface Pair {
  password: string;
  repeat: string;
}

export interface PairErrors {
  password?: string;
  repeat?: string;
}

const MIN_LENGTH = 8;

/** The same rule as the contract's `password` (at least 8), checked before the call, plus the repeat. */
export function checkPair(pair: Pair): PairErrors {
  const errors: PairErrors = {};
  if (pair.password.length < MIN_LENGTH) errors.password = t.auth.password.short;
  else if (pair.password !== pair.repeat) errors.repeat = t.auth.password.mismatch;
  return errors;
}

interface PasswordPairProps {
  value: Pair;
  onChange: (value: Pair) => void;
  errors: PairErrors;
  labels: { password: string; repeat: string };
  hint?: string;
  autoComplete: string;
}

/** A new password typed twice, with the error under the field it belongs to. */
export function PasswordPair({ value, onChange, errors, labels, hint, autoComplete }: PasswordPairProps) {
  return (
    <>
      <Field label={labels.password} error={errors.password} hint={hint} required>
        {({ id, describedBy }) => (
          <input
            id={id}
            type="password"
            autoComplete={autoComplete}
            value={value.password}
            onChange={(e) => onChange({ ...value, password: e.target.value })}
            aria-invalid={!!errors.password || undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field label={labels.repeat} error={errors.repeat} required>
        {({ id, describedBy }) => (
          <input
            id={id}
            type="password"
            autoComplete={autoComplete}
            value={value.repeat}
            onChange={(e) => onChange({ ...value, repeat: e.target.value })}
            aria-invalid={!!errors.repeat || undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
    </>
  );
}
