// hakit-drbd-proc: prints this node's emulated /proc/drbd. `hakit-drbd-proc --exec CMD ARGS...` runs CMD in a
// child mount namespace (propagation unchanged: mounts CMD makes under shared mount points reach the node) whose /proc shows the view as /proc/drbd: a tmpfs of symlinks into a fresh procfs (procfs
// itself cannot get a new file, and overlayfs refuses it), for programs that hard-code /proc/drbd (ocf:linbit:drbd).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PROC_HEADER } from './format';
import { procPath, runDir } from './paths';
import { ensureDir, writeInPlace } from './dataplane';
import { existsSync } from 'node:fs';

const SHIM = `set -e
R="$1"; V="$2"; shift 2
mkdir -p "$R/realproc"
mount -t proc proc "$R/realproc"
mount -t tmpfs -o mode=755 hakit-proc /proc
for e in "$R"/realproc/*; do ln -s "$e" "/proc/\${e##*/}"; done
: > /proc/drbd
mount --bind "$V" /proc/drbd
exec "$@"`;

export const main = async (argv: string[]): Promise<number> => {
  if (argv[0] !== '--exec') {
    try { process.stdout.write(readFileSync(procPath(), 'utf8')); } catch { process.stdout.write(PROC_HEADER); }
    return 0;
  }
  if (!argv[1]) { process.stderr.write('usage: hakit-drbd-proc [--exec CMD [ARGS...]]\n'); return 2; }
  ensureDir(runDir());
  if (!existsSync(procPath())) writeInPlace(procPath(), PROC_HEADER);
  return new Promise((res) => {
    const c = spawn('unshare', ['--mount', '--propagation', 'unchanged', 'sh', '-c', SHIM, 'hakit-drbd-proc', runDir(), procPath(), ...argv.slice(1)], { stdio: 'inherit' });
    c.on('error', (e) => { process.stderr.write(`hakit-drbd-proc: ${e.message}\n`); res(1); });
    c.on('exit', (code, sig) => res(code ?? 128 + (sig === 'SIGKILL' ? 9 : 15)));
  });
};
