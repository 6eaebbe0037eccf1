import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A clean Debian 12 root for the install test (test/system/packaging/debian-root.sh builds and caches it), used
// through an overlay so the cached root itself never changes.

export interface Run { code: number | null; stdout: string; stderr: string }

// Runs a host command (argument array, no shell).
export const sh = (file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Run => {
  const r = spawnSync(file, args, {
    encoding: 'utf8', input: opts.input, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 << 20,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
};

// Runs a long host command without blocking the event loop; throws with its output when it fails.
export const mustAsync = (file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 1_500_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out)
      : reject(new Error(`${file} ${args.join(' ')} exited ${code}\n${out.slice(-4000)}\n${err.slice(-4000)}`))));
  });

// Like sh, but throws with the output when the command fails.
export const must = (file: string, args: string[], opts: Parameters<typeof sh>[2] = {}): string => {
  const r = sh(file, args, opts);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

// The cached root for these packages to preinstall (built on first use); {root, seconds it took, cached}.
export const prepareRoot = async (cacheDir: string, preinstall: string[]): Promise<{ root: string; buildSeconds: number; cached: boolean }> => {
  const t0 = Date.now();
  const script = join(dirname(fileURLToPath(import.meta.url)), 'debian-root.sh');
  const out = await mustAsync('bash', [script, cacheDir, ...preinstall]);
  const root = out.trim().split('\n').pop() as string;
  const took = (Date.now() - t0) / 1000;
  const recorded = Number(readFileSync(`${root}.seconds`, 'utf8'));
  return { root, buildSeconds: recorded, cached: took < recorded / 2 };
};

export interface Overlay { merged: string; dir: string; unmount: () => void }

// Mounts a writable overlay over the cached root, with /proc and /dev inside (not /sys: each command that needs
// it mounts its own, e.g. inside a network namespace).
export const mountOverlay = (lower: string): Overlay => {
  const dir = mkdtempSync('/tmp/hk-pkg-root-');
  const [upper, work, merged] = ['upper', 'work', 'merged'].map((d) => join(dir, d)) as [string, string, string];
  for (const d of [upper, work, merged]) mkdirSync(d);
  const mounted: string[] = [];
  const unmount = () => {
    for (const m of mounted.reverse()) if (sh('umount', [m]).code !== 0) sh('umount', ['-l', m]);
    mounted.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    must('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged]);
    mounted.push(merged);
    must('mount', ['-t', 'proc', 'proc', join(merged, 'proc')]);
    mounted.push(join(merged, 'proc'));
    must('mount', ['--bind', '/dev', join(merged, 'dev')]);
    mounted.push(join(merged, 'dev'));
    must('mount', ['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666', 'devpts', join(merged, 'dev', 'pts')]);
    mounted.push(join(merged, 'dev', 'pts'));
  } catch (e) {
    unmount();
    throw e;
  }
  return { merged, dir, unmount };
};

const ROOT_ENV = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL=C', 'HOME=/root', 'TERM=dumb', 'DEBIAN_FRONTEND=noninteractive'];

// Runs a command inside the root with a clean environment (plus `env` entries "NAME=value").
export const inRoot = (o: Overlay, argv: string[], env: string[] = [], input?: string): Run =>
  sh('chroot', [o.merged, '/usr/bin/env', '-i', ...ROOT_ENV, ...env, ...argv], { input });

// Runs a command inside the root and inside network namespace `ns`, with that namespace's own /sys.
export const inRootNetns = (o: Overlay, ns: string, argv: string[], env: string[] = []): Run =>
  sh('ip', ['netns', 'exec', ns, 'sh', '-c', 'mount -t sysfs sysfs "$1/sys" && exec chroot "$@"', 'sh', o.merged,
    '/usr/bin/env', '-i', ...ROOT_ENV, ...env, ...argv]);

// Every path in the root (files, links, directories; one file system), as "<type> /path" lines, sorted.
export const fileList = (o: Overlay): string[] =>
  must('find', [o.merged, '-xdev', '-printf', '%y /%P\n']).split('\n').filter(Boolean).sort();
