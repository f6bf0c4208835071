import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layering, checked. Every relative import of every .ts file (static `import`/`export … from`,
 * dynamic `import()`, `new URL('….ts', import.meta.url)`, `/// <reference path>`) must be one the
 * table below allows; docs/architecture.md draws the same graph. Paths are relative to the
 * repository; `*` is one path segment, `**` any number. An arrow reads "may import":
 *
 *  examples   bin   bench   fuzz          public faces only
 *      └───────┴──┬───┴───────┘
 *                 ▼
 *  sim/scenarios ───▶ sim                 the faces of everything below
 *        │             │
 *        ▼             ▼
 *  actors/<design>    node                the composition root
 *    │      │        │    │
 *    │      ▼        ▼    ▼
 *    │    supervisors    transports/<name>
 *    │         │          │
 *    └───────▶ lib ◀──────┘               imports no other folder
 *
 * Every layer above lib may import lib; a design reaches another design only through its index.ts.
 */

/** The package's faces (package.json `exports`): what examples, bin and bench may import. */
const PUBLIC_FACES = [
  'index.ts', // airlock
  'transports/rabbitmq/index.ts', // airlock/rabbitmq
  'transports/postgres/index.ts', // airlock/postgres
  'transports/amqp10/index.ts', // airlock/amqp10
  'sim/index.ts', // airlock/sim
  'testing/index.ts', // airlock/testing
  'actors/split-broker/client/index.ts', // airlock/clients
  'actors/split-broker/index.ts', // airlock/split-broker
  'actors/dmz-float/index.ts', // airlock/dmz-float
  'actors/relay/index.ts', // airlock/relay
  'actors/rendezvous/index.ts', // airlock/rendezvous
];

/** The faces of the layers below sim: a folder's index.ts. */
const FACES_BELOW_SIM = ['index.ts', 'lib/index.ts', 'supervisors/index.ts', 'node/index.ts', 'transports/index.ts', 'transports/*/index.ts'];

/** The control plane's modules an operator's client runs, none of which loads the composition root. */
const CONTROL_PLANE_CLIENT = ['admin-client', 'admin-socket-path', 'control-client', 'control-key-file', 'errors'].map((name) => `node/control-plane/${name}.ts`);

interface Rule {
  /** The files the rule is about; the first rule whose `files` match a file is its rule. */
  files: string;
  /** What they may import besides their own unit (a `*` followed by `/` in `files` is one unit: `actors/*` is one design). */
  may: string[];
  /** The rule, as a violation names it. */
  rule: string;
}

/** Who may import whom. Most specific first. */
const RULES: Rule[] = [
  { files: 'lib/**', may: [], rule: 'lib imports no other folder' },
  { files: 'supervisors/**', may: ['lib/**'], rule: 'supervisors import lib only' },
  { files: 'transports/index.ts', may: ['transports/*/index.ts'], rule: "transports/index.ts gathers the transports' faces" },
  { files: 'transports/*/**', may: ['lib/**'], rule: 'a transport imports lib only' },
  { files: 'node/**', may: ['lib/**', 'supervisors/**', 'transports/**'], rule: 'the composition root imports lib, supervisors and transports' },
  { files: 'actors/*.ts', may: ['actors/*/index.ts'], rule: "actors/ lists the designs' faces" },
  {
    files: 'actors/*/**',
    may: ['lib/**', 'supervisors/**', 'actors/*/index.ts', 'types/*.d.ts'],
    rule: "a design imports lib, supervisors and other designs' index.ts only",
  },
  { files: 'sim/scenarios/**', may: [...FACES_BELOW_SIM, ...PUBLIC_FACES, 'actors/*/index.ts'], rule: 'a scenario imports the faces of sim, the designs and the layers below' },
  { files: 'sim/*.ts', may: FACES_BELOW_SIM, rule: 'sim imports the faces of the layers below it' },
  { files: 'index.ts', may: ['lib/**', 'supervisors/**', 'node/**', 'transports/*/index.ts'], rule: 'the root face picks names from lib, supervisors, node and the transports\' faces' },
  { files: 'internal.ts', may: ['lib/index.ts', 'supervisors/index.ts', 'node/index.ts', 'transports/index.ts', 'transports/*/index.ts', 'sim/index.ts'], rule: 'internal.ts gathers the layers\' faces' },
  { files: 'examples/**', may: PUBLIC_FACES, rule: 'examples import public faces only' },
  {
    files: 'bin/**',
    // lib's leaf modules directly, so `airlock --help` loads neither xstate nor zod; the control
    // plane's client side directly, so a command over the admin socket loads neither xstate, rxjs nor amqplib.
    may: [
      ...PUBLIC_FACES,
      'node/index.ts',
      'supervisors/index.ts',
      'transports/*/index.ts',
      'sim/scenarios/index.ts',
      'lib/errors.ts',
      'lib/address.ts',
      'lib/wire-errors.ts',
      ...CONTROL_PLANE_CLIENT,
    ],
    rule: "bin imports faces (public, node, supervisors, transports, sim/scenarios), lib's leaf modules and the control plane's client modules",
  },
  {
    files: 'bench/**',
    // A baseline measures one layer's core (the Oracle's opener against raw sodium), so a bench may use a folder's face.
    may: [...PUBLIC_FACES, 'internal.ts', '**/index.ts', 'actors/*/limits.ts'],
    rule: "bench imports faces (public ones, internal.ts, a folder's index.ts) and a design's limits",
  },
  { files: 'fuzz/**', may: [...PUBLIC_FACES, 'internal.ts'], rule: 'fuzz imports public faces and internal.ts only' },
  { files: 'spec/examples/**', may: ['**'], rule: 'spec/examples runs the examples as a user would' },
  { files: 'spec/**', may: ['**'], rule: 'specs import what they test' },
  { files: 'types/**', may: [], rule: 'ambient declarations import nothing' },
  { files: 'testing/**', may: [], rule: "the test tools stand alone (node's own modules only)" },
  { files: 'scripts/**', may: [], rule: "the repository's scripts stand alone (node's own modules only)" },
];

/** Rules over the whole graph, checked before the table. */
const SHIPPED_NEVER_IMPORTS = ['examples/**', 'spec/**', 'bench/**', 'fuzz/**'];
const NOT_SHIPPED = ['examples/**', 'spec/**', 'bench/**', 'fuzz/**'];
const NEVER_IMPORT_EXAMPLES = ['spec/**', 'bench/**'];
const RUNS_EXAMPLES = ['spec/examples/**'];

/** Node modules actors never import: they get streams and datagrams from the Network port. */
const SOCKETS = ['net', 'node:net', 'dgram', 'node:dgram'];

interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

function formatViolation({ file, specifier, rule }: Violation): string {
  return `${file} imports ${specifier} (${rule})`;
}

/** A glob as a regular expression; each `*` followed by `/` is captured (a unit: one design, one transport). */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let at = 0; at < glob.length; at++) {
    if (glob.startsWith('**', at)) {
      source += '.*';
      at++;
    } else if (glob[at] === '*') source += glob[at + 1] === '/' ? '([^/]+)' : '[^/]*';
    else source += glob[at]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const matches = (path: string, globs: string[]) => globs.some((glob) => globRegExp(glob).test(path));

/** Whether `target` is in the same unit as `file` under `files` (the same design, the same transport). */
function sameUnit(files: string, file: string, target: string): boolean {
  const pattern = globRegExp(files);
  const own = pattern.exec(file);
  const other = pattern.exec(target);
  return !!own && !!other && own.slice(1).every((unit, index) => unit === other[index + 1]);
}

/**
 * The source with comments and regular expressions blanked and each string literal replaced by
 * its index in `strings` (so an import written inside a comment or a string is no import): a
 * small scanner, not a parser, which is all imports need.
 */
function tokenized(source: string): { code: string; strings: string[] } {
  const strings: string[] = [];
  let code = '';
  let at = 0;
  let previous = ''; // the last significant character, to tell a regular expression from a division
  while (at < source.length) {
    const char = source[at]!;
    const next = source[at + 1];
    if (char === '/' && (next === '/' || next === '*')) {
      const end = next === '/' ? source.indexOf('\n', at) : source.indexOf('*/', at + 2) + 2;
      const stop = end <= 1 ? source.length : end;
      code += source.slice(at, stop).replace(/[^\n]/g, ' ');
      at = stop;
      continue;
    }
    if (char === "'" || char === '"' || char === '`' || (char === '/' && /[(,=:[!&|?{};+\-*%<>~^]|^$/.test(previous))) {
      let end = at + 1;
      let inClass = false;
      while (end < source.length) {
        const c = source[end]!;
        if (c === '\\') end += 2;
        else if (char === '/' && (c === '[' || c === ']')) (inClass = c === '['), end++;
        else if ((c === char && !inClass) || (char !== '`' && c === '\n')) break;
        else end++;
      }
      if (char === "'" || char === '"') {
        code += `${char}${strings.length}${char}`;
        strings.push(source.slice(at + 1, end));
      } else code += source.slice(at, end + 1).replace(/[^\n]/g, ' ');
      at = end + 1;
      previous = char;
      continue;
    }
    code += char;
    if (!/\s/.test(char)) previous = char;
    at++;
  }
  return { code, strings };
}

const IMPORTS = [
  /\b(?:import|export)\s[^;'"`]*?\bfrom\s*(['"])(\d+)\1/g, // import … from '…', export … from '…'
  /\bimport\s*(['"])(\d+)\1/g, // import '…'
  /\bimport\s*\(\s*(['"])(\d+)\1/g, // import('…')
  /\bnew\s+URL\(\s*(['"])(\d+)\1\s*,\s*import\.meta\.url/g, // new URL('….ts', import.meta.url)
];

/** Every module `source` names, and whether it only names it to run (a `new URL` path handed to a process), in order. */
function referencesOf(source: string): { specifier: string; runs: boolean }[] {
  const found: [number, string, boolean][] = [];
  for (const [index, line] of source.split('\n').entries()) {
    const reference = /^\s*\/\/\/\s*<reference\s+path\s*=\s*(['"])([^'"]+)\1/.exec(line);
    if (reference) found.push([index, reference[2]!, false]);
  }
  const { code, strings } = tokenized(source);
  const lineOf = (offset: number) => code.slice(0, offset).split('\n').length - 1;
  for (const [kind, pattern] of IMPORTS.entries()) {
    for (const match of code.matchAll(pattern)) {
      const specifier = strings[Number(match[2])]!;
      // A URL names a module only when it names a .ts file (not a launcher script, not a folder).
      if (kind < 3 || specifier.endsWith('.ts')) found.push([lineOf(match.index), specifier, kind === 3]);
    }
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, specifier, runs]) => ({ specifier, runs }));
}

/** The violations of the layering among `files` (repository path → source). */
function checkLayering(files: Record<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of Object.entries(files)) {
    const rule = RULES.find((candidate) => globRegExp(candidate.files).test(file));
    for (const { specifier, runs } of referencesOf(source)) {
      const violation = (text: string) => violations.push({ file, specifier, rule: text });
      if (!specifier.startsWith('.')) {
        if (SOCKETS.includes(specifier) && matches(file, ['actors/**'])) {
          violation('actors never listen or dial: sockets come from the Network port');
        }
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (target.startsWith('..')) violation('imports stay inside the repository');
      else if (matches(target, ['spec/**']) && !matches(file, ['spec/**'])) violation('nothing but spec imports spec');
      else if (matches(target, SHIPPED_NEVER_IMPORTS) && !matches(file, NOT_SHIPPED)) violation('nothing shipped imports examples, spec, bench or fuzz');
      else if (matches(target, ['examples/**']) && matches(file, NEVER_IMPORT_EXAMPLES) && !matches(file, RUNS_EXAMPLES)) {
        // A spec or bench may run an example as a user does (`airlock run examples/…/topology.ts`), never import its code.
        if (!runs) violation('specs and benches never import examples');
      } else if (!rule) violation('a file outside the layers of the table');
      else if (!sameUnit(rule.files, file, target) && !matches(target, rule.may)) violation(rule.rule);
    }
  }
  return violations;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = /^(node_modules|dist|\.git)(\/|$)/;

/** Every .ts file of the repository, by its path relative to the root. */
function repository(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readdirSync(ROOT, { recursive: true, encoding: 'utf8' })) {
    const path = file.split('\\').join('/');
    if (path.endsWith('.ts') && !SKIP.test(path)) files[path] = readFileSync(join(ROOT, file), 'utf8');
  }
  return files;
}

describe('the layering', () => {
  const tree = repository();
  const violations = checkLayering(tree);

  /** The violations by the files a rule governs, formatted. */
  const of = (globs: string[]) => violations.filter((violation) => matches(violation.file, globs)).map(formatViolation);
  const none = (globs: string[]) => {
    const found = of(globs);
    assert.deepEqual(found, [], `${found.length} imports against the layering:\n  ${found.join('\n  ')}`);
  };

  it('covers every .ts file of the repository with a rule', () => {
    const uncovered = Object.keys(tree).filter((file) => !RULES.some((rule) => globRegExp(rule.files).test(file)));
    assert.deepEqual(uncovered, []);
  });

  it("names the package's faces as package.json exports them", () => {
    const exports = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
    const sources = Object.values(exports)
      .filter((face): face is { default: string } => typeof face === 'object')
      .map((face) => face.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
    assert.deepEqual(sources.sort(), [...PUBLIC_FACES].sort());
  });

  it('lib imports no other folder (so the root never loads rhea through the Links default)', () => {
    none(['lib/**']);
  });

  it('supervisors and transports import lib only', () => {
    none(['supervisors/**', 'transports/**']);
  });

  it('the composition root (node/) and the root faces import only the layers below them', () => {
    none(['node/**', 'index.ts', 'internal.ts']);
  });

  it("a design imports lib, supervisors and other designs' faces, and never a socket", () => {
    none(['actors/**']);
  });

  it('sim and its scenarios import faces', () => {
    none(['sim/**']);
  });

  it('examples, bin, bench and fuzz import public faces', () => {
    none(['examples/**', 'bin/**', 'bench/**', 'fuzz/**']);
  });

  it('specs never import examples (spec/examples runs them as a user would)', () => {
    none(['spec/**']);
  });

  it('reports a planted upward import, and each kind of import', () => {
    const planted = checkLayering({
      'lib/x.ts': [
        "import { float } from '../actors/dmz-float/float/float.ts';",
        "// import { y } from '../node/run.ts'; (a comment is no import)",
        "const url = 'see ../spec/x.ts'; // nor a string",
        'export type { Topology } from "../node/topology.ts";',
        "const run = await import('../node/run.ts');",
        "const script = new URL('../bin/airlock.ts', import.meta.url);",
        '/// <reference path="../types/sodium-native.d.ts" />',
        "import './ports/clock.ts';",
      ].join('\n'),
      'supervisors/y.ts': "import { x } from '../transports/rabbitmq/index.ts';",
      'transports/sim/z.ts': "import { x } from '../amqp10/peer-identity.ts';\nimport { y } from './scheduler.ts';",
      'actors/float/a.ts': "import net from 'node:net';\nimport { b } from '../matcher/b.ts';\nimport { c } from '../matcher/index.ts';\nimport { d } from '../../node/run.ts';",
      'actors/split-broker/client/c.ts': "import dgram from 'node:dgram';",
      'bin/b.ts': "import { x } from '../examples/hello.ts';\nimport { y } from '../actors/split-broker/oracle/keys.ts';\nimport { z } from '../lib/address.ts';",
      'spec/s.spec.ts': "import { x } from '../examples/hello.ts';\nimport { y } from '../lib/cell.ts';",
      'bench/b.ts': "import { x } from '../spec/support/fixtures.ts';",
    }).map(formatViolation);
    assert.deepEqual(planted, [
      'lib/x.ts imports ../actors/dmz-float/float/float.ts (lib imports no other folder)',
      'lib/x.ts imports ../node/topology.ts (lib imports no other folder)',
      'lib/x.ts imports ../node/run.ts (lib imports no other folder)',
      'lib/x.ts imports ../bin/airlock.ts (lib imports no other folder)',
      'lib/x.ts imports ../types/sodium-native.d.ts (lib imports no other folder)',
      'supervisors/y.ts imports ../transports/rabbitmq/index.ts (supervisors import lib only)',
      'transports/sim/z.ts imports ../amqp10/peer-identity.ts (a transport imports lib only)',
      'actors/float/a.ts imports node:net (actors never listen or dial: sockets come from the Network port)',
      `actors/float/a.ts imports ../matcher/b.ts (${RULES.find((rule) => rule.files === 'actors/*/**')!.rule})`,
      `actors/float/a.ts imports ../../node/run.ts (${RULES.find((rule) => rule.files === 'actors/*/**')!.rule})`,
      'actors/split-broker/client/c.ts imports node:dgram (actors never listen or dial: sockets come from the Network port)',
      'bin/b.ts imports ../examples/hello.ts (nothing shipped imports examples, spec, bench or fuzz)',
      `bin/b.ts imports ../actors/split-broker/oracle/keys.ts (${RULES.find((rule) => rule.files === 'bin/**')!.rule})`,
      'spec/s.spec.ts imports ../examples/hello.ts (specs and benches never import examples)',
      'bench/b.ts imports ../spec/support/fixtures.ts (nothing but spec imports spec)',
    ]);
  });
});
