// DRBD benchmark: ocf:hakit:drbd vs /usr/lib/ocf/resource.d/linbit/drbd, both calling the SAME stand-ins
// (test/fixtures/drbd/bin: sh scripts that cat recorded outputs from test/bench/drbd-replay), first on PATH.
// monitor as Unpromoted and as Promoted, promote and demote; alternating A/B in one run.
//
// ocf:linbit:drbd needs /proc/drbd and a block device node for the resource; this host has no DRBD module, so the
// suite runs itself in a private mount namespace (unshare -m) where /proc is a tmpfs of symlinks to a fresh procfs
// plus a drbd file, and /dev/drbd0 a block node on a tmpfs. Nothing outside the namespace is touched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, hakitAgent, ocfEnv, report, upstreamAgent } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const BIN = join(ROOT, 'test', 'fixtures', 'drbd', 'bin');
const REPLAY = join(here, 'drbd-replay');
const WORK = '/tmp/hk-drbd-bench';
const N = Number(process.env.DRBD_BENCH_N ?? 21);

const sh = (cmd) => {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
};

// Inside the namespace: a /proc with a drbd file, a /dev/drbd0-like block node.
const fakeProcAndDev = (procText) => {
  const fp = join(WORK, 'proc');
  mkdirSync(fp, { recursive: true });
  sh(`mount -t tmpfs hk-drbd-bench-proc ${fp} && mkdir ${fp}/.real && mount -t proc proc ${fp}/.real`);
  for (const e of readdirSync('/proc')) if (!/^\d+$/.test(e)) symlinkSync(`.real/${e}`, join(fp, e));
  writeFileSync(join(fp, 'drbd'), procText);
  sh(`mount --bind ${fp} /proc`);
  const dev = join(WORK, 'dev');
  mkdirSync(dev, { recursive: true });
  sh(`mount -t tmpfs hk-drbd-bench-dev ${dev} && mknod ${dev}/drbd0 b 147 0`);
  return join(dev, 'drbd0');
};

// One scenario folder for the stand-ins: state files + transitions.
const scenario = (name, kernel, devPath, role) => {
  const d = join(WORK, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  const ev = (r) => join(REPLAY, `events2-${r}.txt`);
  const ss = (r) => join(REPLAY, `sh-status-${r}.txt`);
  const state = (dir, r) => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(ev(r), join(dir, 'drbdsetup.events2.out'));
    copyFileSync(ss(r), join(dir, 'drbdsetup.sh-status.out'));
  };
  state(d, role);
  state(join(d, 'drbdadm.primary.after'), 'primary');
  state(join(d, 'drbdadm.secondary.after'), 'secondary');
  writeFileSync(join(d, 'drbdadm.version.out'),
    `DRBDADM_BUILDTAG=GIT-hash:\\ 409097fe02187f83790b88ac3e0d94f3c167adab\\ reproducible\\ build\\,\\ 2023-01-09\\ 14:51:18\nDRBDADM_API_VERSION=2\nDRBD_KERNEL_VERSION_CODE=0x${kernel.toString(16).padStart(6, '0')}\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n`);
  writeFileSync(join(d, 'drbdadm.sh-dev.out'), `${devPath}\n`);
  writeFileSync(join(d, 'drbdadm.sh-minor.out'), '0\n');
  writeFileSync(join(d, 'score'), '10000\n');
  writeFileSync(join(d, 'drbd.conf'), '# bench\n');
  cpSync(d, `${d}.base`, { recursive: true });
  return d;
};

const envFor = (dir, extra = {}) => ocfEnv({ drbd_resource: 'r0', drbdconf: join(dir, 'drbd.conf') }, {
  PATH: `${BIN}:/usr/sbin:/usr/bin:/sbin:/bin`,
  DRBD_STUB_DIR: dir,
  OCF_RESOURCE_INSTANCE: 'p_drbd',
  OCF_RESKEY_CRM_meta_timeout: '20000',
  OCF_RESKEY_CRM_meta_notify: 'true',
  OCF_RESKEY_CRM_meta_clone_max: '2',
  OCF_RESKEY_CRM_meta_clone_node_max: '1',
  OCF_RESKEY_CRM_meta_master_max: '1',
  OCF_RESKEY_CRM_meta_master_node_max: '1',
  OCF_RESKEY_CRM_meta_promoted_max: '1',
  OCF_RESKEY_CRM_meta_promoted_node_max: '1',
  OCF_RESKEY_CRM_meta_on_node: 'node-a',
  OCF_RESKEY_crm_feature_set: '3.16.2',
  ...extra,
});

const inner = () => {
  const hakit = hakitAgent('drbd');
  const linbit = upstreamAgent('linbit', 'drbd');
  for (const [label, kernel, procText] of [
    ['8.4 kernel (linbit: sh-status)', 0x08040b, readFileSync(join(ROOT, 'test/fixtures/drbd/proc/8.4.11-real-secondary-connected.txt'), 'utf8')],
    ['9 kernel (both: events2)', 0x09020c, 'version: 9.2.12 (api:2/proto:86-122)\n'],
  ]) {
    const dev = existsSync(join(WORK, 'dev', 'drbd0')) ? join(WORK, 'dev', 'drbd0') : fakeProcAndDev(procText);
    writeFileSync('/proc/drbd', procText);
    console.log(`-- ${label}`);
    const results = [];
    for (const [op, role, action, extra, rc] of [
      ['monitor as Unpromoted', 'secondary', 'monitor', { OCF_RESKEY_CRM_meta_interval: '20000' }, 0],
      ['monitor as Promoted', 'primary', 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000' }, 8],
      ['promote', 'secondary', 'promote', {}, 0],
      ['demote', 'primary', 'demote', {}, 0],
    ]) {
      const dirs = { a: scenario(`a-${action}-${role}`, kernel, dev, role), b: scenario(`b-${action}-${role}`, kernel, dev, role) };
      const reset = (d) => (action === 'promote' || action === 'demote' ? [['sh', '-c', `cp -r ${d}.base/. ${d}/`]] : undefined);
      const r = compare({
        name: `drbd ${op}`,
        n: N,
        a: { label: 'hakit', argv: [hakit, action], env: envFor(dirs.a, extra), before: reset(dirs.a) },
        b: { label: 'linbit', argv: [linbit, action], env: envFor(dirs.b, extra), before: reset(dirs.b) },
        expectRc: rc,
      });
      report(r);
      results.push(r);
    }
  }
};

// npm run bench -- drbd: runs the suite in its own mount namespace.
export const run = async () => {
  if (process.env.HK_DRBD_BENCH_NS === '1') return inner();
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', process.execPath, fileURLToPath(import.meta.url), '--inner'], {
    stdio: 'inherit',
    env: { ...process.env, HK_DRBD_BENCH_NS: '1' },
  });
  rmSync(WORK, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`drbd bench failed (rc ${r.status})`);
};

if (process.argv[2] === '--inner') inner();
