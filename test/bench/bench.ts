/**
 * `npm run bench`: every figure the issues name, each beside a baseline from the same run.
 * Each area adds a section module and one line below.
 */
import { Reporter } from './report';

type Section = (r: Reporter) => Promise<void>;
const sections: [string, () => Promise<{ default: Section }>][] = [];

const r = new Reporter();
const only = process.argv[2];
for (const [name, load] of sections) {
  if (only && !name.includes(only)) continue;
  await (await load()).default(r);
}
if (sections.length === 0) console.log('Нет разделов бенчмарка.');
