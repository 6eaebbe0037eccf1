// npm run package: the Debian package (dpkg-buildpackage + debhelper) and the RPM (rpmbuild) from the built
// executable. Run `npm run build` first.
//   HAKIT_DIST      the built dist/ to package (default <repo>/dist)
//   HAKIT_BUILD     scratch space (default <repo>/build); packages go to $HAKIT_PACKAGES or <HAKIT_BUILD>/packages
//   HAKIT_XZ_LEVEL  xz preset of both packages (default 6; 1 is ~4x faster to build and ~15% larger)
//   options: --deb | --rpm (only that format), --lint (lintian on the .deb, fails on errors/warnings), --quiet
// Writes <packages>/manifest.json: {version, agents, templates, deb:{file, bytes, installedKiB}, rpm:{...}}.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeb } from './deb/build-deb.mjs';
import { stage } from './deb/stage.mjs';
import { buildRpm } from './rpm/build-rpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const say = (msg) => { if (!quiet) process.stdout.write(`${msg}\n`); };

// Runs a build tool; with --quiet its output is shown only when it fails.
const run = (file, argv, opts = {}) => {
  if (!quiet) { execFileSync(file, argv, { ...opts, stdio: ['ignore', 'inherit', 'inherit'] }); return; }
  try {
    execFileSync(file, argv, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    throw e;
  }
};

const git = (argv) => { try { return execFileSync('git', argv, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; } };

const dist = resolve(process.env.HAKIT_DIST || join(root, 'dist'));
const build = resolve(process.env.HAKIT_BUILD || join(root, 'build'));
const outDir = resolve(process.env.HAKIT_PACKAGES || join(build, 'packages'));
const workDir = join(build, 'package-work');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const epoch = Number(process.env.SOURCE_DATE_EPOCH) || Number(git(['log', '-1', '--format=%ct'])) || Math.floor(Date.now() / 1000);
process.env.SOURCE_DATE_EPOCH = String(epoch);
const xzLevel = /^[0-9]$/.test(process.env.HAKIT_XZ_LEVEL ?? '') ? Number(process.env.HAKIT_XZ_LEVEL) : 6;
const formats = args.has('--deb') || args.has('--rpm') ? ['deb', 'rpm'].filter((f) => args.has(`--${f}`)) : ['deb', 'rpm'];

const t0 = Date.now();
mkdirSync(outDir, { recursive: true });
mkdirSync(workDir, { recursive: true });
const staged = await stage({ root, dist, workDir, version });
say(`staged ${staged.dir}: agents ${staged.agents.join(' ')}; ${staged.templates.length} template files`);
const manifest = { version, agents: staged.agents, templates: staged.templates, dist, xzLevel };
const common = { ...staged, version, epoch, gitRev: git(['rev-parse', '--short', 'HEAD']), workDir, outDir, run, xzLevel };

if (formats.includes('deb')) {
  const file = buildDeb(common);
  const installedKiB = Number(execFileSync('dpkg-deb', ['-f', file, 'Installed-Size'], { encoding: 'utf8' }).trim());
  manifest.deb = { file, bytes: statSync(file).size, installedKiB };
  if (args.has('--lint')) {
    try {
      manifest.deb.lintian = execFileSync('lintian', ['--fail-on', 'error,warning', '--display-info', file],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (e) {
      process.stderr.write(`lintian found errors or warnings:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      process.exit(1);
    }
  }
}
if (formats.includes('rpm')) {
  const file = buildRpm(common);
  const bytes = Number(execFileSync('rpm', ['-qp', '--qf', '%{SIZE}', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  manifest.rpm = { file, bytes: statSync(file).size, installedKiB: Math.ceil(bytes / 1024) };
}
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
for (const f of ['deb', 'rpm']) {
  if (manifest[f]) say(`${manifest[f].file}: ${mib(manifest[f].bytes)} (${manifest[f].bytes} bytes), installed ${mib(manifest[f].installedKiB * 1024)}`);
}
if (manifest.deb?.lintian) say(`lintian:\n${manifest.deb.lintian}`);
say(`packaged in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
