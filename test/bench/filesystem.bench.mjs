// Filesystem benchmark: ocf:hakit:Filesystem vs /usr/lib/ocf/resource.d/heartbeat/Filesystem on real loop devices
// (ext4), alternating A/B in one run: monitor depth 0 and 20; ten idle mounts stopped, each by its own agent call
// (one measured run = the ten calls in a row); one mount held by 20 processes. Mounting and starting the holders
// happen in `before` commands, outside the measurement. Needs root and a built dist/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { compare, hakitAgent, ocfEnv, report, upstreamAgent } from './lib.mjs';

const WORK = `/tmp/hk-fs-bench-${process.pid}`;
const N = Number(process.env.FS_BENCH_N ?? 21);
const NSTOP = Number(process.env.FS_BENCH_NSTOP ?? 7);
const A = hakitAgent('Filesystem');
const B = upstreamAgent('heartbeat', 'Filesystem');

const run = (cmd, ...args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const loops = [];
const makeFs = (name) => {
  const img = `${WORK}/${name}.img`;
  run('truncate', '-s', '24M', img);
  const dev = run('losetup', '-f', '--show', img);
  loops.push(dev);
  if (readFileSync(`/sys/block/${dev.slice(5)}/ro`, 'utf8').trim() !== '0') run('blockdev', '--setrw', dev);
  run('mkfs.ext4', '-q', '-F', dev);
  const dir = `${WORK}/${name}`;
  mkdirSync(dir, { recursive: true });
  return { dev, dir };
};
const mountedDirs = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '')
  .filter((m) => m.startsWith(`${WORK}/`)).sort((a, b) => b.length - a.length);
const params = (fs) => ({ device: fs.dev, directory: fs.dir, fstype: 'ext4' });
const side = (label, argv, env, extra = {}) => ({ label, argv, env, ...extra });

export const run_ = async () => {
  mkdirSync(WORK, { recursive: true });
  const results = [];
  let sentinel;
  try {
    // monitor depth 0 and 20 on a mounted filesystem
    const mon = makeFs('mon');
    run('mount', mon.dev, mon.dir);
    const recurring = { OCF_RESOURCE_INSTANCE: 'hkfsbench', OCF_RESKEY_CRM_meta_interval: '20000', OCF_RESKEY_CRM_meta_timeout: '40000' };
    for (const depth of ['0', '20']) {
      const env = ocfEnv(params(mon), { ...recurring, OCF_CHECK_LEVEL: depth });
      results.push(compare({ name: `monitor depth ${depth}`, n: N, expectRc: 0,
        a: side('hakit', [A, 'monitor'], env), b: side('heartbeat', [B, 'monitor'], env) }));
    }
    run('umount', mon.dir);
    if (process.env.FS_BENCH_ONLY === 'monitor') {
      for (const r of results) report(r);
      return;
    }

    // ten idle mounts, each stopped by its own call; one measured run = the ten stops
    const idle = Array.from({ length: 10 }, (_, i) => makeFs(`idle${i}`));
    const mountAll = ['sh', '-c', idle.map((f) => `mountpoint -q ${f.dir} || mount ${f.dev} ${f.dir}`).join('; ')];
    const stopAll = (agent) => ['sh', '-c', idle.map((f) => `OCF_RESKEY_device=${f.dev} OCF_RESKEY_directory=${f.dir} ${agent} stop || exit 1`).join('; ')];
    const idleEnv = ocfEnv({ fstype: 'ext4' }, { OCF_RESOURCE_INSTANCE: 'hkfsbench', OCF_RESKEY_CRM_meta_timeout: '20000' });
    const idleRes = compare({ name: '10 idle mounts, 10 stops (total)', n: NSTOP, expectRc: 0,
      a: side('hakit', stopAll(A), idleEnv, { before: [mountAll] }), b: side('heartbeat', stopAll(B), idleEnv, { before: [mountAll] }) });
    results.push(idleRes);
    if (mountedDirs().some((d) => d.includes('/idle'))) throw new Error('an idle mount survived its stop');

    // one mount held by 20 processes (cwd on the mount); a bystander on the parent directory must survive
    const busy = makeFs('busy');
    const pidFile = `${WORK}/holders.pids`;
    const checkLog = `${WORK}/holders.left`;
    writeFileSync(checkLog, '');
    const bystander = spawnSync('sh', ['-c', `cd ${WORK} && (sleep 100000 >/dev/null 2>&1 & echo $!)`], { encoding: 'utf8' });
    sentinel = Number(bystander.stdout.trim());
    const before = [
      ['sh', '-c', `mountpoint -q ${busy.dir} || mount ${busy.dev} ${busy.dir}`],
      ['sh', '-c', `: > ${pidFile}; cd ${busy.dir} && for i in $(seq 20); do sleep 100000 >/dev/null 2>&1 & echo $! >> ${pidFile}; done`],
    ];
    // counts holders still alive (zombies excepted) after each stop
    const after = [['sh', '-c', `n=0; for p in $(cat ${pidFile}); do s=$(awk '{print $3}' /proc/$p/stat 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ] && n=$((n+1)); done; echo $n >> ${checkLog}`]];
    const busyEnv = ocfEnv(params(busy), { OCF_RESOURCE_INSTANCE: 'hkfsbench', OCF_RESKEY_CRM_meta_timeout: '20000' });
    const busyRes = compare({ name: 'stop of a mount held by 20 processes', n: NSTOP, expectRc: 0,
      a: side('hakit', [A, 'stop'], busyEnv, { before, after }), b: side('heartbeat', [B, 'stop'], busyEnv, { before, after }) });
    const left = readFileSync(checkLog, 'utf8').trim().split('\n').map(Number);
    busyRes.holdersLeft = Math.max(...left);
    busyRes.bystanderAlive = spawnSync('kill', ['-0', String(sentinel)]).status === 0;
    results.push(busyRes);

    for (const r of results) report(r);
    console.log(`busy stop: holders left after a stop (max over runs): ${busyRes.holdersLeft}; bystander alive: ${busyRes.bystanderAlive}`);
    const targets = [['monitor depth 0', 1.0, true], ['monitor depth 20', 1.0, true], ['10 idle mounts, 10 stops (total)', 0.25, false],
      ['stop of a mount held by 20 processes', 0.5, false]];
    for (const [name, limit, cpuToo] of targets) {
      const r = results.find((x) => x.name === name);
      const ok = r.wallRatio <= limit && (!cpuToo || r.cpuRatio <= limit);
      console.log(`target ${name}: wall ${r.wallRatio.toFixed(2)}${cpuToo ? ` cpu ${r.cpuRatio.toFixed(2)}` : ''} <= ${limit}: ${ok ? 'met' : 'NOT met'}`);
    }
  } finally {
    if (sentinel) spawnSync('kill', [String(sentinel)]);
    spawnSync('sh', ['-c', `[ -f ${WORK}/holders.pids ] && kill -9 $(cat ${WORK}/holders.pids) 2>/dev/null`]);
    for (let i = 0; i < 5; i++) for (const d of mountedDirs()) spawnSync('umount', [d]);
    for (const l of loops) spawnSync('losetup', ['-d', l]);
    rmSync(WORK, { recursive: true, force: true });
  }
};
export { run_ as run };
