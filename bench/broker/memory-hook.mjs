// A debug hook for bench/broker/rss-rounds.ts, loaded into each `airlock run` process with
// NODE_OPTIONS="--expose-gc --import <this file>": on SIGUSR2 it forces a full GC and writes
// process.memoryUsage() (and, when AIRLOCK_MEMORY_SNAPSHOT names a folder, a heap snapshot) to
// AIRLOCK_MEMORY_DIR/<pid>-<n>.json. With AIRLOCK_CPU_PROFILE set, it also profiles the CPU
// (node:inspector; --cpu-prof is not allowed in NODE_OPTIONS) and writes what it recorded since
// the previous signal, i.e. one round, to <pid>-<n>.cpuprofile beside it (open it in Chrome's
// DevTools). Not part of airlock; the benchmark's instrument.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import v8 from 'node:v8';

const dir = process.env.AIRLOCK_MEMORY_DIR;
let n = 0;
const profiler = dir && process.env.AIRLOCK_CPU_PROFILE ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  profiler.post('Profiler.enable', () => profiler.post('Profiler.start'));
}
if (dir && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    n++;
    const round = n;
    profiler?.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}-${round}.cpuprofile`), JSON.stringify(result.profile));
      profiler.post('Profiler.start');
    });
    const before = process.memoryUsage();
    globalThis.gc();
    globalThis.gc();
    const after = process.memoryUsage();
    let snapshot;
    if (process.env.AIRLOCK_MEMORY_SNAPSHOT) snapshot = v8.writeHeapSnapshot(join(process.env.AIRLOCK_MEMORY_SNAPSHOT, `${process.pid}-${n}.heapsnapshot`));
    writeFileSync(join(dir, `${process.pid}-${n}.json`), JSON.stringify({ pid: process.pid, n, before, after, snapshot }));
  });
}
