import { useState } from 'react';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
import { Field } from './Field';
import { Lookup, type LookupOption } from './Lookup';

interface LookupFieldProps<V extends FieldValues, T> {
  control: Control<V, unknown, T>;
  name: Path<V>;
  label: string;
  error?: string | undefined;
  required?: boolean;
  className?: string;
  /** Text of the value the form starts with (the card being edited knows it). */
  initialLabel: string | null;
  search: (text: string) => Promise<LookupOption[]>;
  placeholder?: string;
  disabled?: boolean;
  /** What the form holds when nothing is chosen: '' where the schema requires a value, null otherwise. */
  empty?: '' | null;
}

/** A labelled lookup (school, person…) bound to a react-hook-form field, with its error below. */
export function LookupField<V extends FieldValues, T>({ control, name, label, error, required, className, initialLabel, search, placeholder, disabled, empty = null }: LookupFieldProps<V, T>) {
  const [valueLabel, setValueLabel] = useState(initialLabel);
  return (
    <Field label={label} error={error} required={required} className={className}>
      {({ id, describedBy }) => (
        <Controller
          control={control}
          name={name}
          render={({ field, fieldState }) => (
            <Lookup
              id={id}
              ref={field.ref}
              value={(field.value as string | null | undefined) || null}
              valueLabel={valueLabel}
              disabled={disabled}
              onChange={(v, option) => {
                setValueLabel(option?.label ?? null);
                field.onChange(v ?? empty);
              }}
              onBlur={field.onBlur}
              search={search}
              placeholder={placeholder}
              invalid={!!fieldState.error}
              describedBy={describedBy}
            />
          )}
        />
      )}
    </Field>
  );
}
