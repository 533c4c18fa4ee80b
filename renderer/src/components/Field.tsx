import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: ReactNode;
  /** Russian message shown under the control; also marks it invalid for screen readers. */
  error?: string | undefined;
  hint?: ReactNode;
  /** Renders the control; receives the id the label points at and the id of the message. */
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
  className?: string;
  required?: boolean;
}

/** A labelled form control with its hint and its error right below it. */
export function Field({ label, error, hint, children, className, required }: FieldProps) {
  const id = useId();
  const messageId = `${id}-msg`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {children({ id, describedBy: error || hint ? messageId : undefined })}
      {error ? (
        <span className="field-error" id={messageId} role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint" id={messageId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A checkbox with its label on the right, for flags such as roles. */
export function CheckField({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <label className="check">
      {children}
      <span>{label}</span>
    </label>
  );
}
