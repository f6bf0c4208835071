// A debug hook for bench/broker/rss-rounds.ts, loaded into each `airlock run` process with
// NODE_OPTIONS="--expose-gc --import <this file>": on SIGUSR2 it forces a full GC and writes
// process.memoryUsage() (and, when AIRLOCK_MEMORY_SNAPSHOT names a folder, a heap snapshot) to
// AIRLOCK_MEMORY_DIR/<pid>-<n>.json. Not part of airlock; the benchmark's instrument.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

const dir = process.env.AIRLOCK_MEMORY_DIR;
let n = 0;
if (dir && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    n++;
    const before = process.memoryUsage();
    globalThis.gc();
    globalThis.gc();
    const after = process.memoryUsage();
    let snapshot;
    if (process.env.AIRLOCK_MEMORY_SNAPSHOT) snapshot = v8.writeHeapSnapshot(join(process.env.AIRLOCK_MEMORY_SNAPSHOT, `${process.pid}-${n}.heapsnapshot`));
    writeFileSync(join(dir, `${process.pid}-${n}.json`), JSON.stringify({ pid: process.pid, n, before, after, snapshot }));
  });
}
