import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { downClean, hakit, status } from './lab-helpers';

// The lab's own commands on a small lab (ocf:pacemaker:Dummy, 2 nodes), and the clean-up after a failed `up`,
// checked independently of `down`'s own checks.
const LAB_DIR = '/var/lib/hakit-lab';

const nothingLeft = (): void => {
  expect(existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith('hkl-')) : []).toEqual([]);
  expect(existsSync(LAB_DIR)).toBe(false);
  const loops = spawnSync('losetup', ['-l', '-n', '-O', 'NAME,BACK-FILE'], { encoding: 'utf8' }).stdout;
  expect(loops.split('\n').filter((l) => l.includes(LAB_DIR) || l.includes('/hkl-disk'))).toEqual([]);
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
  expect(links.split('\n').filter((l) => /^\d+: hkl/.test(l))).toEqual([]);
  expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(LAB_DIR) || l.includes('/run/netns/hkl-'))).toEqual([]);
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  expect(ps.split('\n').filter((l) => l.includes('hkl-init') || l.includes(`${LAB_DIR}/`))).toEqual([]);
};

describe('hakit lab: commands and clean-up', () => {
  afterAll(async () => { await hakit(['lab', 'down']); });

  for (const step of ['network', 'nodes', 'formed']) {
    it(`a failed up (after ${step}) leaves nothing behind`, async () => {
      await hakit(['lab', 'down']);
      process.env.HAKIT_LAB_FAIL_AT = step;
      try {
        const up = await hakit(['lab', 'up', '--template', 'dummy', '-q']);
        expect(up.code).toBe(1);
        expect(up.stderr).toContain(`failing on purpose after step "${step}"`);
        expect(up.stderr).not.toContain('LEFT');
      } finally {
        delete process.env.HAKIT_LAB_FAIL_AT;
      }
      nothingLeft();
    }, 120_000);
  }

  it('up, exec, cut/heal, crash/restart, status, down', async () => {
    const up = await hakit(['lab', 'up', '--template', 'dummy', '-q']);
    expect(up.code, up.stderr).toBe(0);
    const h = await hakit(['lab', 'exec', 'node2', '--', 'hostname']);
    expect(h.stdout.trim()).toBe('node2');
    const ip = await hakit(['lab', 'exec', 'node1', '--', 'ip', '-o', 'route']);
    expect(ip.stdout).not.toContain('default');
    expect((await hakit(['lab', 'cut', 'node2'])).code).toBe(0);
    expect((await status()).nodes.find((n) => n.node === 'node2')).toMatchObject({ power: expect.stringMatching(/^on/) });
    expect((await hakit(['lab', 'status'])).stdout).toMatch(/node2\s+192\.0\.2\.12\s+on \(pid \d+\)\s+CUT/);
    expect((await hakit(['lab', 'heal', 'node2'])).code).toBe(0);
    expect((await hakit(['lab', 'crash', 'node2'])).code).toBe(0);
    expect((await status()).nodes.find((n) => n.node === 'node2')!.power).toBe('off');
    expect((await hakit(['lab', 'exec', 'node2', '--', 'true'])).code).toBe(1);
    const re = await hakit(['lab', 'restart', 'node2']);
    expect(re.code, re.stderr).toBe(0);
    const s = await status();
    expect(s.nodes.map((n) => n.cluster.split(' ')[0])).toEqual(['online', 'online']);
    await downClean();
    nothingLeft();
  }, 180_000);
});
