// npm run bench [-- <suite>...]: runs the benchmark suites (test/bench/<suite>.mjs, each exporting `run()`),
// hakit side by side with the upstream agents. Needs root and a built dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// hakit's executable starts out of the page cache (test/bench/evict.py): the state of a node's agents, not of a
// file just written by the build, which maps faster and would flatter hakit by ~10 %.
const evicted = spawnSync('python3', [join(here, 'evict.py'), join(DIST, 'bin', 'hakit')], { stdio: 'inherit' });
if (evicted.status !== 0) throw new Error('evict.py failed');
const wanted = process.argv.slice(2);
const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', ''))
  .filter((s) => wanted.length === 0 || wanted.includes(s));
for (const s of suites) {
  console.log(`== ${s}`);
  const mod = await import(join(here, `${s}.bench.mjs`));
  await mod.run();
}
