import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Repository root and the default cache folder for the VM kit (git-ignored).
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VM_CACHE = process.env.HAKIT_VM_CACHE ?? join(REPO, '.cache', 'vm');

// Builds (or reuses from the cache) the kernel + initramfs kit and returns its directory.
export const buildKit = (cache: string = VM_CACHE): string => {
  const out = execFileSync('bash', [join(REPO, 'test', 'vm', 'build-kit.sh'), cache], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const kit = out.trim().split('\n').pop() ?? '';
  if (!kit) throw new Error('build-kit.sh printed no kit directory');
  return kit;
};
