import { useRef, type ReactNode } from 'react';

interface FilePickButtonProps {
  children: ReactNode;
  onFile: (file: File) => void;
  disabled?: boolean;
  className?: string | undefined;
  accept?: string;
  /** For end-to-end tests, which set the file on the hidden input. */
  testId?: string;
}

/** A button that opens the file picker; the chosen file is handed over once and the input is cleared. */
export function FilePickButton({ children, onFile, disabled, className, accept, testId }: FilePickButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => input.current?.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          // Cleared so that choosing the same file again is seen as a new choice.
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </>
  );
}
