// Builds everything `npm start`, `npm run web`, `npm run server` and the benchmarks run:
// Node entries bundled by esbuild (dependencies stay in node_modules), the renderer by Vite.
// The core's worker is built twice: core-worker.js for a Node worker thread (browser mode,
// bench) and core-worker.cjs for Electron's utility process. Electron's bundles are
// self-contained (only native modules outside), exactly what `npm run dist` packages.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import fs from 'node:fs';
import { SQLITE_PACKAGE } from './electron-native.mjs';

const entries = [
  { in: 'main/host/cli.ts', out: 'dist/main/host.js', format: 'esm' },
  { in: 'main/start.ts', out: 'dist/main/start.js', format: 'esm' },
  { in: 'main/core/worker.ts', out: 'dist/main/core-worker.js', format: 'esm' },
  { in: 'main/core/worker.ts', out: 'dist/main/core-worker.cjs', format: 'cjs', selfContained: true },
  { in: 'main/electron/main.ts', out: 'dist/main/electron.cjs', format: 'cjs', selfContained: true },
  { in: 'preload/preload.ts', out: 'dist/preload/preload.cjs', format: 'cjs' },
  { in: 'server/index.ts', out: 'dist/server/index.js', format: 'esm' },
  { in: 'test/bench/bench.ts', out: 'dist/test/bench.js', format: 'esm' },
].filter((e) => fs.existsSync(e.in));

/** What stays outside a self-contained Electron bundle: Electron itself and native modules. */
const ELECTRON_EXTERNAL = ['electron', SQLITE_PACKAGE, 'pg-native'];

const only = process.argv.includes('--node-only') ? 'node' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

if (only !== 'renderer') {
  await Promise.all(
    entries.map((e) =>
      esbuild({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: 'node',
        format: e.format,
        // Electron's own Node is 22; every other entry runs on the Node the README names.
        ...(e.selfContained ? { target: 'node22', external: ELECTRON_EXTERNAL } : { target: 'node20', packages: 'external' }),
        sourcemap: true,
        logLevel: 'warning',
        ...(e.format === 'esm' ? { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } } : {}),
      }),
    ),
  );
}
if (only !== 'node') {
  await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
