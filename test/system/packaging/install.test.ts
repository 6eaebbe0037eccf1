import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, HAKIT, ROOT, agentPath } from '../../helpers/dist';
import { type Overlay, fileList, inRoot, inRootNetns, mountOverlay, must, mustAsync, prepareRoot, sh } from './chroot';
import { debListing, firstAlternatives, rpmListing } from './listing';

// issue 9: `npm run package` builds a lintian-clean .deb and an .rpm with the same payload; the .deb installs on a
// clean Debian 12 root (debootstrap, Pacemaker CLI + crmsh + pcs, no node.js) where crmsh, pcs, man and ocf-tester
// find and accept every agent, and purging it leaves nothing behind. The agents come from `hakit agents`.

const AGENTS = must(HAKIT, ['agents']).split('\n').filter(Boolean);
const WORK = mkdtempSync('/tmp/hk-pkg-test-');
const NS = `hk-pkg-${process.pid}`;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const MB = 1_000_000;
// Paths that the tools used in the test (apt, dpkg, man-db, crmsh, pcs) write by themselves.
const NOISE = /^. \/(var\/(cache\/(apt|man|debconf)|lib\/(apt|dpkg)|log|tmp)|tmp|run|root)(\/|$)/;

interface Built { deb: { file: string; bytes: number; installedKiB: number; lintian: string }; rpm: { file: string; bytes: number; installedKiB: number } }

describe('packages: build, payload, install on a clean Debian 12 root, purge', () => {
  let built: Built;
  let overlay: Overlay | undefined;
  let before: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = Date.now();
    await mustAsync('node', [join(ROOT, 'packaging', 'package.mjs'), '--quiet', '--lint'], {
      env: { ...process.env, HAKIT_DIST: DIST, HAKIT_BUILD: join(WORK, 'build'), HAKIT_PACKAGES: join(WORK, 'packages'), HAKIT_XZ_LEVEL: '1' },
      timeoutMs: 1_200_000,
    });
    built = JSON.parse(readFileSync(join(WORK, 'packages', 'manifest.json'), 'utf8')) as Built;
    timings.packageSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const deps = firstAlternatives(must('dpkg-deb', ['-f', built.deb.file, 'Depends', 'Recommends']).replace(/^\w+: /gm, '').replace(/\n/g, ','));
    const root = await prepareRoot(join(ROOT, '.cache', 'packaging'), deps);
    timings.rootSeconds = (Date.now() - t) / 1000;
    timings.rootColdSeconds = root.buildSeconds;
    overlay = mountOverlay(root.root);
    before = fileList(overlay);
    copyFileSync(built.deb.file, join(overlay.merged, 'tmp', 'hakit.deb'));
    t = Date.now();
    const inst = inRoot(overlay, ['apt-get', 'install', '-y', '/tmp/hakit.deb']);
    timings.installSeconds = (Date.now() - t) / 1000;
    rmSync(join(overlay.merged, 'tmp', 'hakit.deb'));
    if (inst.code !== 0) throw new Error(`apt-get install of the .deb failed:\n${inst.stdout}\n${inst.stderr}`);
    must('ip', ['netns', 'add', NS]);
  }, 2_400_000);

  afterAll(() => {
    process.stdout.write(`packaging timings (s): ${JSON.stringify(timings)}\n`);
    sh('ip', ['netns', 'del', NS]);
    overlay?.unmount();
    rmSync(WORK, { recursive: true, force: true });
  });

  it('builds a lintian-clean .deb and an .rpm, each at most 40 MB', () => {
    expect(built.deb.lintian.split('\n').filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(built.deb.bytes).toBeLessThanOrEqual(40 * MB);
    expect(built.rpm.bytes).toBeLessThanOrEqual(40 * MB);
    process.stdout.write(`package sizes (xz -1): deb ${built.deb.bytes} B, rpm ${built.rpm.bytes} B; installed ${built.deb.installedKiB} KiB\n`);
  });

  it('ships the executable byte for byte (not stripped) in both formats, and it runs', () => {
    const x = join(WORK, 'x');
    mkdirSync(join(x, 'deb'), { recursive: true });
    must('dpkg-deb', ['-x', built.deb.file, join(x, 'deb')]);
    must('sh', ['-c', 'mkdir -p "$2" && cd "$2" && rpm2cpio "$1" | cpio -idm --quiet', 'sh', built.rpm.file, join(x, 'rpm')]);
    for (const f of ['deb', 'rpm']) {
      const exe = join(x, f, 'usr/lib/hakit/hakit');
      expect(sha256(exe), f).toBe(sha256(HAKIT));
      expect(must(exe, ['agents']).split('\n').filter(Boolean), f).toEqual(AGENTS);
    }
  });

  it('rpm -qlp lists the same payload as the .deb (files with modes and sizes, links with targets)', () => {
    const deb = debListing(built.deb.file);
    const rpm = rpmListing(built.rpm.file);
    expect(rpm.payload).toEqual(deb.payload);
    expect(rpm.dirs.filter((d) => !deb.dirs.includes(d))).toEqual([]);
    expect(must('rpm', ['-qlp', built.rpm.file]).split('\n').filter(Boolean).sort())
      .toEqual([...rpm.payload, ...rpm.meta].map((e) => e.split(' ')[e.startsWith('file ') ? 2 : 1]).concat(rpm.dirs).sort());
    for (const a of AGENTS) expect(deb.payload).toContain(`link /usr/lib/ocf/resource.d/hakit/${a} -> ../../../hakit/hakit`);
    expect(deb.payload).toContain('link /usr/bin/hakit -> ../lib/hakit/hakit');
  });

  it('depends on no node.js package, and the root has no node.js', () => {
    const fields = must('dpkg-deb', ['-f', built.deb.file, 'Depends', 'Recommends', 'Suggests', 'Pre-Depends']);
    expect(fields).not.toMatch(/node/i);
    expect(must('rpm', ['-qpR', built.rpm.file])).not.toMatch(/node/i);
    expect(inRoot(overlay as Overlay, ['sh', '-c', 'command -v node || command -v nodejs || ls /usr/lib/node_modules']).code).not.toBe(0);
    expect(inRoot(overlay as Overlay, ['dpkg-query', '-W', '-f', '${Status}', 'hakit']).stdout).toBe('install ok installed');
    expect(inRoot(overlay as Overlay, ['hakit', 'agents']).stdout.split('\n').filter(Boolean)).toEqual(AGENTS);
  });

  it('installs every template of `hakit template list` under /usr/share/hakit/templates, as the CLI renders it', () => {
    const names = must(HAKIT, ['template', 'list']).split('\n').map((l) => l.split(/\s+/)[0]).filter((n): n is string => !!n);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      const shipped = readFileSync(join((overlay as Overlay).merged, 'usr/share/hakit/templates', `${n}.crm`), 'utf8');
      expect(shipped).toBe(inRoot(overlay as Overlay, ['hakit', 'template', 'render', n, '--format', 'crm']).stdout);
    }
  });

  describe.each(AGENTS)('installed agent %s', (agent) => {
    it('answers meta-data through /usr/lib/ocf/resource.d/hakit/<agent>, as built', () => {
      const r = inRoot(overlay as Overlay, [`/usr/lib/ocf/resource.d/hakit/${agent}`, 'meta-data']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`<resource-agent name="${agent}"`));
      expect(r.stdout).toBe(must(agentPath(agent), ['meta-data'], { env: { PATH: process.env.PATH } }));
    });

    it('is shown by crm ra info and pcs resource describe (no --force)', () => {
      const crm = inRoot(overlay as Overlay, ['crm', 'ra', 'info', `ocf:hakit:${agent}`]);
      expect(crm.code, crm.stderr).toBe(0);
      expect(crm.stdout).toContain(`(ocf:hakit:${agent})`);
      expect(crm.stderr).not.toMatch(/ERROR|WARNING/);
      const pcs = inRoot(overlay as Overlay, ['pcs', 'resource', 'describe', `ocf:hakit:${agent}`]);
      expect(pcs.code, pcs.stderr).toBe(0);
      expect(pcs.stdout.split('\n')[0]).toMatch(new RegExp(`^ocf:hakit:${agent} - \\S`));
      expect(pcs.stderr).toBe('');
    });

    it(`has a man page (man ocf_hakit_${agent}) whose crm example loads into a CIB`, () => {
      const man = inRoot(overlay as Overlay, ['man', '-P', 'cat', `ocf_hakit_${agent}`], ['MANWIDTH=160']);
      expect(man.code, man.stderr).toBe(0);
      for (const s of ['NAME', 'SUPPORTED PARAMETERS', 'SUPPORTED ACTIONS', 'EXAMPLE CRM SHELL']) expect(man.stdout).toMatch(new RegExp(`^${s}$`, 'm'));
      const lines = man.stdout.split('\n');
      const from = lines.indexOf('EXAMPLE CRM SHELL');
      const section = lines.slice(from + 1, lines.findIndex((l, i) => i > from && /^\S/.test(l)));
      const block = section.filter((l) => /^ {8,}\S/.test(l));
      const indent = Math.min(...block.map((l) => (/^ */.exec(l) as RegExpExecArray)[0].length));
      // The scratch CIB stands for a test cluster without fencing or quorum (else crm_verify refuses any commit).
      const harness = 'property stonith-enabled=false no-quorum-policy=ignore\n';
      writeFileSync(join((overlay as Overlay).merged, 'tmp', 'example.crm'), `${harness}${block.map((l) => l.slice(indent)).join('\n')}\n`);
      const cib = ['CIB_file=/tmp/example-cib.xml'];
      must('sh', ['-c', 'cibadmin --empty > "$1"', 'sh', join((overlay as Overlay).merged, 'tmp', 'example-cib.xml')]);
      const load = inRoot(overlay as Overlay, ['crm', '-D', 'plain', '-f', '/tmp/example.crm', 'configure'], cib);
      expect(load.code, `${load.stdout}${load.stderr}`).toBe(0);
      // stonith-enabled=false (the harness line) makes Pacemaker say so; anything else is a finding.
      const said = `${load.stdout}${load.stderr}`.split('\n').filter((l) => !/Blind faith: not fencing unseen nodes/.test(l));
      expect(said.filter((l) => /ERROR|WARNING/.test(l))).toEqual([]);
      const q = inRoot(overlay as Overlay, ['cibadmin', '-Q', '--xpath', `//primitive[@type='${agent}'][@provider='hakit']`], cib);
      expect(q.code, q.stderr).toBe(0);
    });
  });

  it('has hakit(1), made from the --help of every command', () => {
    const man = inRoot(overlay as Overlay, ['man', '-P', 'cat', '1', 'hakit'], ['MANWIDTH=160']);
    expect(man.code, man.stderr).toBe(0);
    const commands = must(HAKIT, ['--help']).split('\n').map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1]).filter((c): c is string => !!c && c !== 'help');
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(man.stdout).toMatch(new RegExp(`^ {3}hakit ${c}\\b`, 'm'));
  });

  it('passes ocf-tester for IPaddr2 inside a network namespace', () => {
    must('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    must('ip', ['-n', NS, 'link', 'add', 'hkpkg0', 'type', 'veth', 'peer', 'name', 'hkpkg1']);
    for (const dev of ['hkpkg1', 'hkpkg0']) must('ip', ['-n', NS, 'link', 'set', dev, 'up']);
    must('ip', ['-n', NS, 'addr', 'add', '10.213.77.1/24', 'dev', 'hkpkg0']);
    const r = inRootNetns(overlay as Overlay, NS, ['ocf-tester', '-n', 'hkpkg-ip', '-o', 'ip=10.213.77.10', '-o', 'cidr_netmask=24',
      '-o', 'nic=hkpkg0', '/usr/lib/ocf/resource.d/hakit/IPaddr2']);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/passed all tests/);
    expect(must('ip', ['-n', NS, '-o', 'addr', 'show', 'dev', 'hkpkg0'])).not.toContain('10.213.77.10');
  });

  it('purging the package leaves no files behind', () => {
    const installed = fileList(overlay as Overlay);
    expect(installed.filter((l) => /hakit/i.test(l)).length).toBeGreaterThan(AGENTS.length);
    const r = inRoot(overlay as Overlay, ['apt-get', 'purge', '-y', 'hakit']);
    expect(r.code, r.stderr).toBe(0);
    const after = fileList(overlay as Overlay);
    expect(after.filter((l) => /hakit/i.test(l) && !/^. \/tmp\//.test(l))).toEqual([]);
    const [was, is] = [new Set(before), new Set(after)];
    expect(after.filter((l) => !NOISE.test(l) && !was.has(l))).toEqual([]);
    expect(before.filter((l) => !NOISE.test(l) && !is.has(l))).toEqual([]);
  });
});
