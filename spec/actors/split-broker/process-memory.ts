/**
 * Reads another process's memory (a child of this one, same user) through `/proc/<pid>/mem`, to
 * check where a secret lives. Only mapped, readable regions are read; a region the kernel
 * refuses (e.g. a guard page) is skipped.
 */
import { closeSync, openSync, readFileSync, readSync, readlinkSync, readdirSync } from 'node:fs';

const CHUNK = 16 * 1024 * 1024;

/** True when `needle` occurs anywhere in the readable memory of `pid`. */
export function memoryHolds(pid: number, needle: Uint8Array): boolean {
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    for (const { start, end } of readableRegions(pid)) {
      for (let at = start; at < end; at += BigInt(CHUNK - needle.length)) {
        const size = Number(end - at < BigInt(CHUNK) ? end - at : BigInt(CHUNK));
        const buffer = Buffer.alloc(size);
        let read = 0;
        try {
          read = readSync(fd, buffer, 0, size, at);
        } catch {
          break;
        }
        if (buffer.subarray(0, read).indexOf(needle) >= 0) return true;
        if (read < size) break;
      }
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

function readableRegions(pid: number): { start: bigint; end: bigint }[] {
  return readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .filter((line) => /^[0-9a-f]+-[0-9a-f]+ r/.test(line) && !/\[(vvar|vsyscall|vvar_vclock)\]/.test(line))
    .map((line) => {
      const [start, end] = line.split(' ')[0]!.split('-') as [string, string];
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`) };
    });
}

/** The paths of the files `pid` has open now, and of those mapped into its memory. */
export function openAndMappedFiles(pid: number): string[] {
  const links = readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return [];
    }
  });
  const mapped = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').map((line) => line.split(/\s+/).slice(5).join(' ')).filter(Boolean);
  return [...links, ...mapped];
}
