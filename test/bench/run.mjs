// npm run bench [-- <suite>...]: runs the benchmark suites (test/bench/<suite>.mjs, each exporting `run()`),
// hakit side by side with the upstream agents. Needs root and a built dist/ (npm run build).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', ''))
  .filter((s) => wanted.length === 0 || wanted.includes(s));
for (const s of suites) {
  console.log(`== ${s}`);
  const mod = await import(join(here, `${s}.bench.mjs`));
  await mod.run();
}
