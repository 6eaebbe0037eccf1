// Side-by-side benchmark: the same operation through hakit (A) and the upstream agent (B), in one run,
// alternating A B B A ... so drift hits both alike; reports medians and the ratio A/B.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const DIST = process.env.HAKIT_DIST ?? join(ROOT, 'dist');
export const hakitAgent = (name) => join(DIST, 'resource.d', 'hakit', name);
export const upstreamAgent = (provider, name) => join('/usr/lib/ocf/resource.d', provider, name);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Environment for an agent call as Pacemaker makes it.
export const ocfEnv = (params, extra = {}) => {
  const env = { OCF_ROOT: '/usr/lib/ocf', OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1', ...extra };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = String(v);
  return env;
};

// Measures each run (wait4 rusage), in order, through measure.py; returns the raw rows.
// With `netns`, the measuring process itself runs inside that network namespace (so does every call).
export const measure = (runs, netns) => {
  const [file, args] = netns ? ['ip', ['netns', 'exec', netns, 'python3', join(here, 'measure.py')]] : ['python3', [join(here, 'measure.py')]];
  const r = spawnSync(file, args, { input: JSON.stringify({ runs }), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`measure.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

// A vs B, n calls each, ABBA order. a/b: { label, argv, env, before?, after? }. Returns medians and ratios.
export const compare = ({ name, n = 15, a, b, expectRc, netns }) => {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const pair = i % 2 === 0 ? [a, b] : [b, a];
    for (const x of pair) runs.push({ label: x.label, argv: x.argv, env: x.env, before: x.before, after: x.after });
  }
  const rows = measure(runs, netns);
  const pick = (label, key) => rows.filter((r) => r.label === label).map((r) => r[key]);
  const stat = (label) => ({
    wall: median(pick(label, 'wall_ms')),
    cpu: median(pick(label, 'cpu_ms')),
    rss: Math.max(...pick(label, 'maxrss_kib')) / 1024,
    rcs: [...new Set(pick(label, 'rc'))],
    walls: pick(label, 'wall_ms'), // every call's wall time, in run order (for figures that need the distribution)
  });
  const A = stat(a.label);
  const B = stat(b.label);
  const res = { name, n, a: { label: a.label, ...A }, b: { label: b.label, ...B }, wallRatio: A.wall / B.wall, cpuRatio: A.cpu / B.cpu };
  if (expectRc !== undefined) {
    for (const s of [A, B]) if (s.rcs.length !== 1 || s.rcs[0] !== expectRc) res.rcMismatch = true;
  }
  return res;
};

// Times one command n times alone (for figures with an absolute bound, e.g. meta-data ≤ 40 ms).
export const single = ({ name, n = 15, run, netns }) => {
  const rows = measure(Array.from({ length: n }, () => ({ label: run.label, argv: run.argv, env: run.env, before: run.before, after: run.after })), netns);
  return { name, n, label: run.label, wall: median(rows.map((r) => r.wall_ms)), cpu: median(rows.map((r) => r.cpu_ms)),
    rss: Math.max(...rows.map((r) => r.maxrss_kib)) / 1024, rcs: [...new Set(rows.map((r) => r.rc))] };
};

const f = (x) => x.toFixed(1);
// Prints one result as a table row.
export const report = (r) => {
  if (r.a) {
    console.log(`${r.name.padEnd(44)} ${r.a.label}: wall ${f(r.a.wall)} ms cpu ${f(r.a.cpu)} ms rss ${f(r.a.rss)} MiB rc ${r.a.rcs} | ` +
      `${r.b.label}: wall ${f(r.b.wall)} ms cpu ${f(r.b.cpu)} ms rss ${f(r.b.rss)} MiB rc ${r.b.rcs} | ratio wall ${r.wallRatio.toFixed(2)} cpu ${r.cpuRatio.toFixed(2)}${r.rcMismatch ? '  (UNEXPECTED rc)' : ''}`);
  } else {
    console.log(`${r.name.padEnd(44)} ${r.label}: wall ${f(r.wall)} ms cpu ${f(r.cpu)} ms peak rss ${f(r.rss)} MiB rc ${r.rcs}`);
  }
};
