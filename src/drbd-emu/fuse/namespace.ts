// The emulated kernel runs in a mount namespace of its own (private propagation). A FUSE server must never be the
// last member of a mount namespace that holds a filesystem mounted on its own device: when a SIGKILLed server exits,
// the namespace's teardown unmounts that filesystem, whose final sync waits for FUSE writes only the (exiting) server
// could answer, and the exit deadlocks in D state (seen here: a jbd2 thread and every host-wide `sync` hung). In its
// own namespace the server only ever holds its FUSE mount, and the filesystem lives in the node's namespace.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sockPath } from '../paths';
import { libexecDir } from '../spawn';

const MARK = 'HAKIT_DRBD_KERNEL_NS';

// Re-executes the kernel daemon under `unshare --mount --propagation private` unless it already runs there. Resolves
// true once the re-executed daemon serves its socket (this process should then exit), false to carry on in-process
// (unshare failed: logged by the caller).
export const reexecInOwnMountNs = (argv: string[]): Promise<boolean> => {
  if (process.env[MARK] === '1' || process.env.HAKIT_DRBD_UNSHARE === '0') return Promise.resolve(false);
  const name = argv[0] ?? '';
  const self = process.argv[1]?.endsWith('hakit-drbd-kernel') ? process.argv[1] : join(libexecDir(), 'hakit-drbd-kernel');
  rmSync(sockPath(name), { force: true });
  return new Promise((res) => {
    const c = spawn('unshare', ['--mount', '--propagation', 'private', self, ...argv], { stdio: 'inherit', detached: true, env: { ...process.env, [MARK]: '1' } });
    const t = setInterval(() => { if (existsSync(sockPath(name))) { clearInterval(t); c.unref(); res(true); } }, 10);
    const no = (): void => { clearInterval(t); res(false); };
    c.on('error', no);
    c.on('exit', no);
  });
};
