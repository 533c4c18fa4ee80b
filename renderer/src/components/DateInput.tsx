import { useEffect, useState, type Ref } from 'react';
import { t } from '../i18n/ru';

const RU_DATE = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the form holds for the typed text: '' → null; «ДД.ММ.ГГГГ» → 'YYYY-MM-DD' even when
 * the day does not exist (the contract's isoDate then says «Такой даты нет в календаре»);
 * anything else stays as typed, so the contract says «Дата в формате ДД.ММ.ГГГГ» and the text is kept.
 */
export function dateValueOf(text: string): string | null {
  const s = text.trim();
  if (!s) return null;
  const m = RU_DATE.exec(s);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return s;
}

/**
 * The held value as the user reads it. Rearranged as text, not parsed: an impossible day
 * («2025-02-31» from «31.02.2025») comes back as typed, beside the field's message.
 */
const shown = (value: string | null | undefined) => (!value ? '' : ISO_DATE.test(value) ? `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}` : value);

interface DateInputProps {
  value: string | null | undefined;
  onChange: (value: string | null) => void;
  onBlur?: () => void;
  id?: string;
  name?: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  disabled?: boolean;
  ref?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}

/** A date typed as ДД.ММ.ГГГГ; the value is an ISO calendar date ('YYYY-MM-DD') or null. */
export function DateInput({ value, onChange, onBlur, id, name, invalid, describedBy, disabled, ref, autoFocus }: DateInputProps) {
  const [text, setText] = useState(() => shown(value));
  // Follow outside changes (form reset, a value set in code) without fighting the user's typing.
  useEffect(() => {
    if (dateValueOf(text) !== (value ?? null)) setText(shown(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      ref={ref}
      id={id}
      name={name}
      className="date-input"
      inputMode="numeric"
      placeholder={t.common.datePlaceholder}
      autoComplete="off"
      value={text}
      disabled={disabled}
      autoFocus={autoFocus}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(e) => {
        setText(e.target.value);
        onChange(dateValueOf(e.target.value));
      }}
      onBlur={() => {
        // Tidy «1.3.2021» to «01.03.2021» once the user leaves the field.
        const v = dateValueOf(text);
        if (v && ISO_DATE.test(v)) setText(shown(v));
        onBlur?.();
      }}
    />
  );
}
