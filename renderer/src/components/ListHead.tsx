import { countOf } from '../../../core/format';

interface ListHeadProps {
  title: string;
  /** null while the first page is loading. */
  total: number | null;
  forms: readonly [string, string, string];
  addLabel: string;
  /** Absent when the signed-in account may never add here (a viewer): no button at all. */
  onAdd?: () => void;
}

/** A list page's title, its «N школ»-style count and the button that adds a record. */
export function ListHead({ title, total, forms, addLabel, onAdd }: ListHeadProps) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      <span className="count" aria-live="polite">
        {total === null ? '' : countOf(total, forms)}
      </span>
      {onAdd && (
        <button type="button" className="primary" onClick={onAdd}>
          {addLabel}
        </button>
      )}
    </div>
  );
}
