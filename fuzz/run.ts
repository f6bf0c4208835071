/**
 * `npm run fuzz -- [--frames N] [--seed S] [--json] [--target name]`: seeded random, truncated,
 * mutated and hostile frames through each decoder that takes bytes from outside; prints per
 * decoder what it accepted, refused (by code), and any actor crash, process crash or untyped
 * error. Exits 1 when any of those is not 0, printing the command that replays the run.
 */
import { parseFuzzArgs } from './args.ts';
import { fuzzTarget } from './harness.ts';
import { describeFailures, type DecoderReport } from './report.ts';
import { TARGETS } from './targets/index.ts';

const args = parseArgs();
const unknown = args.targets.filter((name) => !TARGETS.some((target) => target.decoder === name));
if (unknown.length > 0) fail(`no decoder ${unknown.join(', ')}; there are: ${TARGETS.map((target) => target.decoder).join(', ')}`);

const reports: DecoderReport[] = [];
for (const target of TARGETS.filter((target) => args.targets.length === 0 || args.targets.includes(target.decoder))) {
  const report = await fuzzTarget(target, args);
  reports.push(report);
  if (!args.json) console.log(JSON.stringify(report));
}
if (args.json) console.log(JSON.stringify(reports, null, 2));
const failures = describeFailures(reports);
if (failures) console.error(`\n${failures}`);
process.exit(failures ? 1 : 0);

function parseArgs() {
  try {
    return parseFuzzArgs(process.argv.slice(2));
  } catch (error) {
    return fail((error as Error).message);
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
