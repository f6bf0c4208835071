/**
 * `npm run bench -- <name> [--json] [--quick]`: runs bench/<name>.ts and prints each figure
 * beside its baseline measured in the same run, as a ratio (above 1: airlock is better).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatTable, type Benchmark } from './figures.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const names = args.filter((arg) => !arg.startsWith('--'));
const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''));

if (names.length === 0) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [--json] [--quick]`);
  process.exit(2);
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`no benchmark '${name}'; there are: ${available.join(', ')}`);
    process.exit(2);
  }
  const { default: bench } = (await import(`./${name}.bench.ts`)) as { default: Benchmark };
  const figures = await bench({ quick });
  if (json) console.log(JSON.stringify(figures, null, 2));
  else console.log(`# ${name}\n${formatTable(figures)}\n`);
}
process.exit(0);
