/**
 * The layer rules live in eslint.config.js (no-restricted-imports per folder), so `npm run lint`
 * holds them on every file. This test proves each rule bites: ESLint, through its Node API and
 * the project's own config, lints small snippets placed (virtually) in each folder and must
 * refuse every forbidden import and accept the allowed ones. Lint sees one file at a time, so
 * the last test follows the renderer's real imports transitively, which no lint rule can.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The layer-rule messages ESLint gives for `code` as if it were the file `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const refuses = async (file: string, code: string) => expect(await layerErrors(file, code), `${file}: ${code}`).toHaveLength(1);
const accepts = async (file: string, code: string) => expect(await layerErrors(file, code), `${file}: ${code}`).toEqual([]);

describe('layer rules (eslint.config.js)', () => {
  const renderer = 'renderer/src/features/people/Example.tsx';

  it('the renderer never imports db/, main/, server/, preload/, Node built-ins, *.node modules or electron', async () => {
    for (const code of [
      "import { openStore } from '../../../../db/open';",
      "import { startCore } from '../../../../main/app';",
      "import { Hub } from '../../../../server/hub';",
      "import '../../../../preload/preload';",
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import { createHash } from 'crypto';",
      "import { readPackage } from '../../../../core/sync/package.node';",
      "import { ipcRenderer } from 'electron';",
      "const db = await import('../../../../db/store');",
      "const fs = await import('node:fs');",
      "export { qb } from '../../../../db/store';",
    ]) {
      await refuses(renderer, code);
    }
  });

  it('the renderer may use the contract, pure core modules and types from db/schema', async () => {
    await accepts(renderer, "import type { Row } from '../../../../db/schema';");
    await accepts(renderer, "import { formatDate } from '../../../../core/format';");
    await accepts(renderer, "import { personInput } from '../../../../core/contract/people';");
    await accepts(renderer, "import type { AppEvent } from '../../../../core/contract/events';");
    await accepts(renderer, "import { useState } from 'react';");
  });

  it('a core module without the .node.ts suffix never imports Node built-ins; one with it may', async () => {
    for (const code of ["import fs from 'node:fs';", "import { createHash } from 'crypto';", "import path from 'path';", "import { Worker } from 'worker_threads';", "import fsp from 'fs/promises';"]) {
      await refuses('core/rules/example.ts', code);
      await refuses('core/handlers/example.ts', code);
      await accepts('core/sync/example.node.ts', code);
    }
    await accepts('core/rules/example.ts', "import { qb } from '../../db/store';");
  });

  it('core imports no shell, interface or electron', async () => {
    await refuses('core/example.ts', "import { startCore } from '../main/app';");
    await refuses('core/example.node.ts', "import { bridge } from '../renderer/src/bridge';");
    await refuses('core/example.node.ts', "import { app } from 'electron';");
  });

  it('db/ imports nothing of main/, renderer/, server/ (Node built-ins are fine there)', async () => {
    await refuses('db/example.ts', "import { startCore } from '../main/app';");
    await refuses('db/example.ts', "import { call } from '../renderer/src/bridge';");
    await refuses('db/example.ts', "import { Hub } from '../server/hub';");
    await refuses('db/example.ts', "import { app } from 'electron';");
    await accepts('db/example.ts', "import fs from 'node:fs';");
  });

  it('only main/electron/ and preload import electron', async () => {
    const code = "import { app } from 'electron';";
    await accepts('main/electron/example.ts', code);
    await accepts('preload/example.ts', code);
    for (const file of ['main/host/example.ts', 'main/example.ts', 'server/example.ts', 'core/example.ts', 'test/unit/example.test.ts', 'build/example.ts']) await refuses(file, code);
  });

  it('server/ never imports main/electron, preload or renderer; main/ outside electron is fine', async () => {
    await refuses('server/example.ts', "import { createWindow } from '../main/electron/main';");
    await refuses('server/example.ts', "import '../preload/preload';");
    await refuses('server/routes/example.ts', "import { call } from '../../renderer/src/bridge';");
    await accepts('server/example.ts', "import { dispatch } from '../core/dispatch';");
  });

  it('preload imports only electron, and types', async () => {
    await refuses('preload/example.ts', "import { dispatch } from '../core/dispatch';");
    await refuses('preload/example.ts', "import fs from 'node:fs';");
    await accepts('preload/example.ts', "import type { Result } from '../core/contract';");
  });
});

// ---------- what lint cannot see: the renderer's imports followed transitively ----------

const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

/** Value imports of a file (type-only ones vanish at build time). */
function valueImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(/\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const braces = /^\{([\s\S]*)\}$/.exec(m[3]!.trim());
    const names = braces ? braces[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
    const typeOnly = !!m[2] || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    if (!typeOnly) out.push(m[4]!);
  }
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function resolveRelative(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, ...EXTS.map((e) => base + e), ...EXTS.map((e) => path.join(base, `index${e}`))]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walkable(e.name) ? sourceFiles(p) : [];
    return EXTS.includes(path.extname(e.name)) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}
const walkable = (name: string) => name !== 'node_modules' && name !== 'dist';

describe('the renderer’s run-time import closure', () => {
  it('reaches no Node built-in, electron, native or server-side package, db, main, server or preload module', () => {
    const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
    const forbiddenPackages = new Set(['electron', 'better-sqlite3-multiple-ciphers', 'pg', 'ws', 'kysely', 'exceljs', 'docx', 'fastify']);
    const bad: string[] = [];
    const seen = new Set<string>();
    const queue = sourceFiles(path.join(ROOT, 'renderer')).map((f) => ({ file: f, trail: [rel(f)] }));
    for (const { file, trail } of queue) {
      for (const spec of valueImports(fs.readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (spec.startsWith('node:') || builtinModules.includes(pkg) || forbiddenPackages.has(pkg)) bad.push([...trail, spec].join(' → '));
          continue;
        }
        const target = resolveRelative(file, spec);
        if (!target) {
          bad.push([...trail, `missing ${spec}`].join(' → '));
          continue;
        }
        const to = rel(target);
        if (/^(db|main|server|preload)\//.test(to) || /\.node\.[cm]?[jt]s$/.test(to)) bad.push([...trail, to].join(' → '));
        if (!seen.has(to)) {
          seen.add(to);
          queue.push({ file: target, trail: [...trail, to] });
        }
      }
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
  });
});
