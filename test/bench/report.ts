/**
 * How the benchmark prints: each figure beside a baseline measured in the same run,
 * so the ratio is what to read (absolute times on these machines are noisy).
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  goal?: string;
}

export class Reporter {
  readonly figures: Figure[] = [];

  section(title: string): void {
    console.log(`\n## ${title}`);
  }

  add(f: Figure): void {
    this.figures.push(f);
    const v = `${fmt(f.value)} ${f.unit}`;
    const base = f.baseline ? `  | baseline ${f.baseline.name}: ${fmt(f.baseline.value)} ${f.unit}  | ratio ${(f.value / f.baseline.value).toFixed(2)}×` : '';
    const goal = f.goal ? `  | goal: ${f.goal}` : '';
    console.log(`- ${f.name}: ${v}${base}${goal}`);
  }
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Median wall time of fn over `runs` runs, in milliseconds. */
export async function timeMedian(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
