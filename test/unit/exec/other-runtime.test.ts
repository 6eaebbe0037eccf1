import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The internal bindings (spawn_sync, process_wrap, pipe_wrap, tcp_wrap, stream_wrap) change shape between Node
// majors: process_wrap's spawn took an options object up to Node 24 and takes positional arguments in Node 26.
// vitest itself runs on the pinned runtime the executable is built on (npm puts node_modules/.bin, and its `node`,
// first on PATH); this runs the binding tests again on the system's node, the other form.
const root = join(__dirname, '..', '..', '..');
const files = ['test/unit/exec/spawn-sync.test.ts', 'test/unit/exec/spawn-concurrent.test.ts', 'test/unit/net/stream-request.test.ts'];
const PATH = (process.env.PATH ?? '').split(delimiter).filter((d) => !d.includes('node_modules')).join(delimiter);
const env = { ...process.env, PATH, NO_COLOR: '1', FORCE_COLOR: '0' };

describe('binding tests on the system node', () => {
  it('pass there too (a major other than the pinned one)', () => {
    const major = spawnSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8', env }).stdout.trim().split('.')[0];
    expect(major).not.toBe(process.versions.node.split('.')[0]);
    expect(['20', '22', '24']).toContain(major);
    const r = spawnSync('node', [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...files], { cwd: root, encoding: 'utf8', timeout: 120_000, env });
    expect(r.stdout + r.stderr).toMatch(/Test Files\s+3 passed \(3\)/);
    expect(r.status).toBe(0);
  }, 130_000);
});
