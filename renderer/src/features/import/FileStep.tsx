import { useState, type ReactNode } from 'react';
import { FilePickButton } from '../../components/FilePickButton';
import { t } from '../../i18n/ru';
import { readImportFile, type PickedFile } from './readImportFile';

const tr = t.imports;

interface FileStepProps {
  accept: string;
  hint: string;
  /** Hands the read file on; answers an error message to show, or null when it went on. */
  onFile: (file: PickedFile) => Promise<void>;
  onError: (message: string | null) => void;
  extra?: ReactNode;
}

/** Step one of every import: pick a file; too big or unreadable files stop here with the reason. */
export function FileStep({ accept, hint, onFile, onError, extra }: FileStepProps) {
  const [busy, setBusy] = useState(false);
  const take = async (file: File) => {
    onError(null);
    setBusy(true);
    const read = await readImportFile(file);
    if (read.ok) await onFile(read.file);
    else onError(read.message);
    setBusy(false);
  };
  return (
    <div className="card import-file">
      <p className="muted">{hint}</p>
      <div className="toolbar">
        <FilePickButton className="primary" accept={accept} onFile={(f) => void take(f)} disabled={busy} testId="import-file">
          {busy ? tr.reading : tr.chooseFile}
        </FilePickButton>
        {extra}
      </div>
    </div>
  );
}
