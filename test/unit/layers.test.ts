/**
 * The layer rule of ARCHITECTURE.md, checked on the real import graph:
 * - renderer pulls in (transitively, at run time) no Node built-in, no electron, no native
 *   or server-side package, nothing of db/, main/, server/ or preload/ — `import type` is fine;
 * - db imports nothing of main, renderer, server, preload or electron;
 * - only main/electron and preload import electron;
 * - core (shared with the regional server) imports no electron, main, renderer or preload;
 * - server never reaches main/electron, preload or renderer (transitively).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Every import/export-from/dynamic import/require in a file, with whether it is type-only. */
export function importsOf(source: string): Import[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: Import[] = [];
  const fromRe = /\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(fromRe)) {
    const clause = m[3]!.trim();
    let typeOnly = !!m[2];
    const braces = /^\{([\s\S]*)\}$/.exec(clause);
    if (!typeOnly && braces) {
      const names = braces[1]!.split(',').map((s) => s.trim()).filter(Boolean);
      typeOnly = names.length > 0 && names.every((n) => n.startsWith('type '));
    }
    out.push({ spec: m[4]!, typeOnly });
  }
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : walk(p);
    return EXTS.includes(path.extname(e.name)) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveRelative(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, ...EXTS.map((e) => base + e), ...EXTS.map((e) => path.join(base, `index${e}`))]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
const pkgName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Direct edges of one file: relative ones resolved to repository paths, packages as "pkg:name". */
function edgesOf(file: string): Edge[] {
  return importsOf(fs.readFileSync(file, 'utf8')).map(({ spec, typeOnly }) => {
    if (spec.startsWith('.')) {
      const target = resolveRelative(file, spec);
      return { from: rel(file), to: target ? rel(target) : `missing:${spec}`, typeOnly };
    }
    return { from: rel(file), to: isBuiltin(spec) ? `builtin:${spec}` : `pkg:${pkgName(spec)}`, typeOnly };
  });
}

/** What a set of entry files reaches at run time (following value imports only), with the path that got there. */
function runtimeClosure(entries: string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = entries.map((e) => ({ file: e, trail: [rel(e)] }));
  for (const { file, trail } of queue) {
    for (const edge of edgesOf(file)) {
      if (edge.typeOnly || reached.has(edge.to)) continue;
      const next = [...trail, edge.to];
      reached.set(edge.to, next);
      if (!edge.to.includes(':')) queue.push({ file: path.join(ROOT, edge.to), trail: next });
    }
  }
  return reached;
}

function violations(reached: Map<string, string[]>, forbidden: (target: string) => boolean): string[] {
  return [...reached].filter(([to]) => forbidden(to)).map(([, trail]) => trail.join(' → '));
}

const under = (...dirs: string[]) => (target: string) => dirs.some((d) => target.startsWith(`${d}/`));

describe('layer rule', () => {
  it('the scanner sees value, type-only, side-effect, dynamic and re-export imports', () => {
    const found = importsOf(`
      import a from './a';
      import type { B } from '../db/b';
      import { type C, type D } from './c';
      import { type E, f } from './e';
      import './side';
      export { g } from './g';
      export type { H } from './h';
      const x = await import('./dyn');
      // import hidden from './commented';
      const y = require('node:fs');
    `);
    expect(found).toEqual([
      { spec: './a', typeOnly: false },
      { spec: '../db/b', typeOnly: true },
      { spec: './c', typeOnly: true },
      { spec: './e', typeOnly: false },
      { spec: './g', typeOnly: false },
      { spec: './h', typeOnly: true },
      { spec: './side', typeOnly: false },
      { spec: './dyn', typeOnly: false },
      { spec: 'node:fs', typeOnly: false },
    ]);
  });

  it('renderer reaches no Node built-in, electron, native/server package, db, main, server or preload at run time', () => {
    const reached = runtimeClosure(walk(path.join(ROOT, 'renderer')));
    const bad = violations(
      reached,
      (to) =>
        to.startsWith('builtin:') ||
        ['pkg:electron', 'pkg:better-sqlite3', 'pkg:pg', 'pkg:ws', 'pkg:kysely', 'pkg:exceljs', 'pkg:docx'].includes(to) ||
        under('db', 'main', 'server', 'preload')(to),
    );
    expect(bad).toEqual([]);
    // The renderer does use the contract, type-only: the rule is about run time, not types.
    expect(reached.size).toBeGreaterThan(0);
  });

  it('db imports nothing of main, renderer, server, preload, and no electron', () => {
    const bad = walk(path.join(ROOT, 'db'))
      .flatMap(edgesOf)
      .filter((e) => e.to === 'pkg:electron' || under('main', 'renderer', 'server', 'preload')(e.to))
      .map((e) => `${e.from} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('only main/electron and preload import electron (even type-only)', () => {
    const files = ['db', 'core', 'main', 'renderer', 'server', 'test', 'build'].flatMap((d) => walk(path.join(ROOT, d)));
    const bad = files
      .flatMap(edgesOf)
      .filter((e) => e.to === 'pkg:electron' && !e.from.startsWith('main/electron/'))
      .map((e) => e.from);
    expect(bad).toEqual([]);
  });

  it('core imports no electron, main, renderer or preload', () => {
    const bad = walk(path.join(ROOT, 'core'))
      .flatMap(edgesOf)
      .filter((e) => e.to === 'pkg:electron' || under('main', 'renderer', 'preload')(e.to))
      .map((e) => `${e.from} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('server never reaches main/electron, preload or renderer', () => {
    const reached = runtimeClosure(walk(path.join(ROOT, 'server')));
    const direct = walk(path.join(ROOT, 'server')).flatMap(edgesOf).map((e) => e.to);
    const bad = [...violations(reached, (to) => to === 'pkg:electron' || under('main/electron', 'preload', 'renderer')(to)), ...direct.filter(under('main/electron', 'preload', 'renderer'))];
    expect(bad).toEqual([]);
  });

  it('every relative import resolves (a typo would hide an edge from the rules above)', () => {
    const files = ['db', 'core', 'main', 'preload', 'renderer', 'server'].flatMap((d) => walk(path.join(ROOT, d)));
    const missing = files.flatMap(edgesOf).filter((e) => e.to.startsWith('missing:')).map((e) => `${e.from} → ${e.to}`);
    expect(missing).toEqual([]);
  });
});
