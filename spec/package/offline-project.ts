import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

const REPOSITORY = new URL('../../', import.meta.url);
const REGISTRY = 'https://registry.npmjs.org';

/** The registry tarball of a lock entry: the repository's lockfile leaves `resolved` out. */
function tarballUrl(name: string, version: string): string {
  return `${REGISTRY}/${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/** Where node finds `name` from the package at `from`: its own node_modules, then each one above. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const path = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[path]) return path;
    if (dir === '') return undefined;
  }
}

/** Every lock path the packages `names` need, found from the repository's lockfile. */
function closure(packages: Record<string, LockEntry>, names: string[]): Set<string> {
  const needed = new Set<string>();
  const visit = (from: string, name: string): void => {
    const path = locate(packages, from, name);
    if (path === undefined || needed.has(path)) return;
    needed.add(path);
    const entry = packages[path];
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(path, dependency);
  };
  for (const name of names) visit('', name);
  return needed;
}

/** The packages a project names besides airlock (names from the repository's lockfile). */
export interface ProjectPackages {
  /** Beside airlock, as a user installs its peers (zod, xstate). */
  readonly dependencies: string[];
  readonly devDependencies: string[];
}

/**
 * Writes an npm project in `dir` that depends on the packed airlock (`tarball`, `integrity` from
 * `npm pack --json`) and on `named` packages, with a lockfile pinning all of them as the
 * repository has them, so `npm ci --offline` installs it from the npm cache alone: the cache holds
 * the repository's tarballs, not the registry's metadata that resolving version ranges would need.
 */
export async function writeOfflineProject(dir: string, tarball: string, integrity: string, named: ProjectPackages): Promise<void> {
  const manifest = JSON.parse(readFileSync(new URL('package.json', REPOSITORY), 'utf8')) as LockEntry & { name: string; bin: unknown; engines: unknown };
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', REPOSITORY), 'utf8')) as { packages: Record<string, LockEntry> };
  const pinned = (names: string[]): Record<string, string> => Object.fromEntries(names.map((name) => [name, lock.packages[`node_modules/${name}`].version]));
  const dependencies = { airlock: `file:${tarball}`, ...pinned(named.dependencies) };
  const dev = pinned(named.devDependencies);
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies, devDependencies: dev },
    'node_modules/airlock': {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity,
      dependencies: manifest.dependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  const installed = [...Object.keys(manifest.dependencies ?? {}), ...named.dependencies, ...named.devDependencies];
  for (const path of closure(lock.packages, installed)) {
    // The repository's dev/peer flags say nothing of the app's tree: npm works them out again.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[path];
    packages[path] = { ...entry, resolved: tarballUrl(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version) };
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies, devDependencies: dev }, null, 2));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }, null, 2));
}
