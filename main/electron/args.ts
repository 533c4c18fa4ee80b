/** Command-line flags of the desktop app (the same names as browser mode). */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface ShellArgs {
  /** Explicit data folder; otherwise Electron's userData. */
  data: string | null;
  demo: boolean;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { data: { type: 'string' }, demo: { type: 'boolean', default: false } },
    // Electron and Chromium add their own switches (--no-sandbox, --inspect…): ignore them.
    strict: false,
    allowPositionals: true,
  });
  return { data: typeof values.data === 'string' ? path.resolve(values.data) : null, demo: values.demo === true };
}
