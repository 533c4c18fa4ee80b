/**
 * `npm run bench [-- <section>]`: every figure the issues name, each beside a baseline
 * from the same run. Each area adds a section module (`export default async (r) => …`)
 * and ONE line to `sections` below. A failing section is reported and the others still run;
 * the exit code says whether all of them finished.
 */
import { Reporter } from './report';

// The daily backup (core/backup.node.ts) would copy a bench database in the middle of a measurement; cores and hosts started from here inherit this.
process.env.SHNOR_BACKUP_CHECK_MS ??= '0';

type Section = (r: Reporter) => Promise<void>;
const sections: [string, () => Promise<{ default: Section }>][] = [
  ['core', () => import('./core')],
  ['reports', () => import('./reports')],
  ['fieldwork-visits', () => import('./fieldwork-visits')],
  ['fieldwork-roadmap', () => import('./fieldwork-roadmap')],
  ['sync', () => import('./sync')],
  ['stall', () => import('./stall')],
  ['atRest', () => import('./atRest')],
  ['import', () => import('./import')],
  ['import-roadmap', () => import('./importRoadmap')],
];

const r = new Reporter();
const only = process.argv[2];
const failed: string[] = [];
for (const [name, load] of sections) {
  if (only && !name.includes(only)) continue;
  const t0 = performance.now();
  try {
    await (await load()).default(r);
  } catch (e) {
    failed.push(name);
    console.error(`\n[${name}] раздел не выполнен: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  console.log(`  (раздел «${name}»: ${((performance.now() - t0) / 1000).toFixed(1)} с)`);
}
if (sections.length === 0) console.log('Нет разделов бенчмарка.');
console.log(`\nИтого показателей: ${r.figures.length}${failed.length ? `; не выполнены разделы: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
