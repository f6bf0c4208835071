/** One measured figure beside the baseline measured in the same run. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue, oriented so that higher is better for airlock (see `higherIsBetter`). */
  ratio: number;
}

/** A benchmark: runs its own repetitions and returns medians. */
export type Benchmark = (options: { quick: boolean }) => Promise<Figure[]>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A figure whose ratio reads "airlock relative to the baseline": for throughputs
 * value/baseline, for latencies and durations baseline/value, so above 1 is always better.
 */
export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
  higherIsBetter: boolean,
): Figure {
  const ratio = higherIsBetter ? value / baselineValue : baselineValue / value;
  return { figure: name, value, unit, baseline, baselineValue, ratio };
}

/** Runs `once` `runs` times and returns the median of what it returns. */
export async function medianOf(runs: number, once: () => Promise<number> | number): Promise<number> {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return median(results);
}

export function formatTable(figures: Figure[]): string {
  const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
  const rows = figures.map((f) => [f.figure, `${fmt(f.value)} ${f.unit}`, `${f.baseline}: ${fmt(f.baselineValue)} ${f.unit}`, `${f.ratio.toFixed(2)}×`]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length), 6));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}
