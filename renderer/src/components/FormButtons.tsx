import { t } from '../i18n/ru';

interface FormButtonsProps {
  busy: boolean;
  onCancel: () => void;
  saveLabel?: string;
  saveDisabled?: boolean;
  cancelDisabled?: boolean;
  /** Shown for a record that exists; the caller asks for confirmation. */
  onDelete?: (() => void) | undefined;
  /** 'foot': a bar across the bottom of a card form; 'inline': buttons under the last field. */
  variant?: 'foot' | 'inline';
}

/** Save, cancel and (for an existing record) delete, with the keyboard hint every form shows. */
export function FormButtons({ busy, onCancel, saveLabel, saveDisabled, cancelDisabled, onDelete, variant = 'foot' }: FormButtonsProps) {
  const hint = <span className="muted small">{t.common.shortcutsHint}</span>;
  const save = (
    <button type="submit" className="primary" disabled={busy || saveDisabled}>
      {busy ? t.common.saving : (saveLabel ?? t.common.save)}
    </button>
  );
  const cancel = (
    <button type="button" disabled={cancelDisabled} onClick={onCancel}>
      {t.common.cancel}
    </button>
  );
  const remove = onDelete && (
    <button type="button" className="danger" onClick={onDelete}>
      {t.common.delete}
    </button>
  );
  if (variant === 'inline') {
    return (
      <div className="actions">
        {save}
        {cancel}
        {remove}
        {hint}
      </div>
    );
  }
  return (
    <div className="form-foot">
      {hint}
      {remove}
      {cancel}
      {save}
    </div>
  );
}
