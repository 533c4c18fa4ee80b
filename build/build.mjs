// Builds everything `npm start`, `npm run web`, `npm run server` and the benchmarks run:
// Node entries bundled by esbuild (dependencies stay in node_modules), the renderer by Vite.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import fs from 'node:fs';

const entries = [
  { in: 'main/host/cli.ts', out: 'dist/main/host.js', format: 'esm' },
  { in: 'main/start.ts', out: 'dist/main/start.js', format: 'esm' },
  { in: 'main/electron/main.ts', out: 'dist/main/electron.cjs', format: 'cjs' },
  { in: 'preload/preload.ts', out: 'dist/preload/preload.cjs', format: 'cjs' },
  { in: 'server/index.ts', out: 'dist/server/index.js', format: 'esm' },
  { in: 'test/bench/bench.ts', out: 'dist/test/bench.js', format: 'esm' },
].filter((e) => fs.existsSync(e.in));

const only = process.argv.includes('--node-only') ? 'node' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

if (only !== 'renderer') {
  await Promise.all(
    entries.map((e) =>
      esbuild({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: e.format,
        packages: 'external',
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
