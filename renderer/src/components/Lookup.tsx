import { useEffect, useId, useRef, useState, type Ref } from 'react';
import { t } from '../i18n/ru';

export interface LookupOption {
  id: string;
  label: string;
  hint?: string | null;
}

interface LookupProps {
  value: string | null | undefined;
  /** Text for the current value (the caller knows it from the card it edits). */
  valueLabel: string | null | undefined;
  onChange: (id: string | null, option: LookupOption | null) => void;
  /** Asks the core for options matching the typed text (server-side search, any list size). */
  search: (text: string) => Promise<LookupOption[]>;
  placeholder?: string;
  id?: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  disabled?: boolean;
  onBlur?: () => void;
  ref?: Ref<HTMLInputElement>;
}

/** A combobox: type to search, arrows to move, Enter to choose, Esc to close the list. */
export function Lookup({ value, valueLabel, onChange, search, placeholder, id, invalid, describedBy, disabled, onBlur, ref }: LookupProps) {
  const listId = useId();
  const [text, setText] = useState(valueLabel ?? '');
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<LookupOption[]>([]);
  // Nothing is highlighted until the user moves with the arrows: ↓ then lands on the first option.
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState<string | null>(null);
  const chosenLabel = useRef(valueLabel ?? '');
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    chosenLabel.current = valueLabel ?? '';
    setText(valueLabel ?? '');
  }, [value, valueLabel]);

  // Debounced search; a late answer to an older query is dropped.
  useEffect(() => {
    if (query === null) return;
    let live = true;
    const timer = setTimeout(() => {
      void searchRef.current(query).then((found) => {
        if (!live) return;
        setOptions(found);
        setActive(-1);
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const choose = (option: LookupOption | null) => {
    chosenLabel.current = option?.label ?? '';
    setText(option?.label ?? '');
    setOpen(false);
    onChange(option?.id ?? null, option);
  };

  return (
    <div className="lookup">
      <input
        ref={ref}
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder={placeholder}
        disabled={disabled}
        value={text}
        // The list opens on the user's click, typing or ↓ — not when code moves the focus here
        // (e.g. to show a validation message, which the list would cover).
        onClick={() => {
          if (open) return;
          setOpen(true);
          setQuery(text === chosenLabel.current ? '' : text);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setQuery(e.target.value);
        }}
        onBlur={() => {
          setOpen(false);
          // Typed text that was not chosen from the list does not silently become a value.
          if (!text.trim()) {
            if (value) choose(null);
          } else setText(chosenLabel.current);
          onBlur?.();
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open) {
              setOpen(true);
              setQuery(text === chosenLabel.current ? '' : text);
              return;
            }
            setActive((a) => Math.min(a + 1, options.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, -1));
          } else if (e.key === 'Enter' && open && !e.ctrlKey && !e.metaKey && options[active]) {
            e.preventDefault();
            choose(options[active]!);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
            setText(chosenLabel.current);
          }
        }}
      />
      {value && !disabled && (
        <button type="button" className="icon lookup-clear" aria-label={t.common.clear} tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={() => choose(null)}>
          ×
        </button>
      )}
      {open && (
        <ul className="lookup-list" id={listId} role="listbox">
          {options.length === 0 ? (
            <li className="lookup-empty">{t.common.lookupEmpty}</li>
          ) : (
            options.map((o, i) => (
              <li
                key={o.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(o)}
              >
                <span>{o.label}</span>
                {o.hint && <span className="muted small">{o.hint}</span>}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
