// Run by the pinned runtime at build time (packaging/build.mjs): writes <key>.cache, the V8 code cache of each
// bundle <key>.cjs in the build folder. A cache holds the functions compiled before it is written, so each bundle is
// first run the way a call runs it: its top level (which only defines the spec), then, for an agent, its monitors
// through the framework's own dispatch with quiet logging and a runner that replays canned answers: a program the
// warm-up knows is answered by `cat` of a file in the build folder through the agent's own process runner (so the
// spawn path and output decoding are compiled too), any other program is "not installed". The DRBD emulator's tools
// run their queries against a stand-in kernel in the build folder (a socket and a `sh -c 'read x'` process); apache
// monitors a "server" that is this process (its pidfile) serving a status page on a loopback port. Only read-only
// actions run, on TEST-NET addresses, absent files, `/proc`, loopback and files written to the build folder, so
// nothing changes on the build machine. The functions a real call uses are then deserialized instead of compiled
// (docs/framework.md). Usage: node make-code-cache.cjs <build dir> <key>...
const { Script } = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

// Per agent, one or more warm-ups: the parameters, files written to the build folder for it (`@dir` stands for that
// folder in names, parameters, environment and contents; `@port` for the loopback port of `serve`, `@pid` for this
// process, `@runtime` for its executable), extra environment, the canned answers of the (never started) programs,
// by "<program> <first arg>", and `serve`: an HTTP body this process serves on 127.0.0.1:@port meanwhile.
const WARMUP = {
  IPaddr2: { params: { ip: '192.0.2.1', cidr_netmask: '24' }, expect: [7, 7] },
  Filesystem: [
    { params: { device: '/dev/hakit-warmup-none', directory: '/run/hakit-warmup-none', fstype: 'ext4' }, expect: [7, 7] },
    // a mount every machine has, so the monitors walk the "mounted" path (read-only actions only)
    { params: { device: 'proc', directory: '/proc', fstype: 'proc' }, expect: [0, 0] },
  ],
  apache: [
    { params: { configfile: '/nonexistent/hakit-warmup/apache2.conf' }, expect: [1, 7] },
    // a configuration in the build folder (written below), whose pidfile names this build process running this
    // runtime as its httpd, and a status page served on loopback by this process: the monitors walk the whole
    // path of a running server (config cache in HA_RSCTMP, pidfile, process check, HTTP check, regex)
    { params: { configfile: '@dir/warmup-apache.conf', httpd: '@runtime' }, expect: [0, 0], env: { HA_RSCTMP: '@dir/warmup-tmp' },
      serve: '<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for 127.0.0.1</h1></body></html>\n',
      files: { 'warmup-apache.conf': 'ServerRoot "@dir"\nListen 127.0.0.1:@port\nPidFile @dir/warmup-apache.pid\n' +
        'Include warmup-apache-*.load\n<Location /server-status>\n  SetHandler server-status\n</Location>\n',
      'warmup-apache-status.load': '# LoadModule status_module modules/mod_status.so\n', 'warmup-apache.pid': '@pid\n' } },
  ],
  drbd: {
    params: { drbd_resource: 'hakit-warmup-none' },
    expect: [0, 0],
    // the resource exists for the warm-up: monitors read the state and the score as on a node running DRBD
    env: { HAKIT_DRBD_PROC_FILE: '@dir/warmup-proc-drbd' },
    files: { 'warmup-proc-drbd': 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 0\n 0: cs:Connected ro:Secondary/Primary ' +
      'ds:UpToDate/UpToDate C r-----\n    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0\n' },
    answers: {
      'drbdsetup events2': 'exists resource name:hakit-warmup-none role:Secondary suspended:no\n' +
        'exists connection name:hakit-warmup-none peer-node-id:0 conn-name:peer connection:Connected role:Primary\n' +
        'exists device name:hakit-warmup-none volume:0 minor:0 disk:UpToDate\n' +
        'exists peer-device name:hakit-warmup-none peer-node-id:0 conn-name:peer volume:0 replication:Established peer-disk:UpToDate resync-suspended:no\nexists -\n',
      'crm_attribute --promotion': '10000\n',
      'drbdadm --version': 'DRBDADM_API_VERSION=2\nDRBD_KERNEL_VERSION_CODE=0x08040b\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n',
    },
  },
};
// The actions each warm-up runs: the recurring monitor and the probe, the calls Pacemaker makes all day. Not
// validate-all (rare): its functions made the cache bigger and every monitor slower (measured: drbd monitor +10 %
// with it, -6 % without it, against the second session's cache). `expect` above holds their exit codes, in this
// order. Another code means the warm-up no longer walks the path a real call takes (e.g. it stops at a parameter
// check): the build fails then.
const ACTIONS = [['monitor', '10000'], ['monitor', '0']];

// The replaying runner: a known program's answer is `cat` of a file through the bundle's own runner; anything
// else is "not installed" (no process).
const replayRunner = (createRunner, dir, answers = {}) => (deps) => {
  const real = createRunner(deps);
  return {
    run: async (file, args) => {
      const key = `${file} ${args[0] ?? ''}`;
      if (answers[key] === undefined) {
        return { file, args, code: 127, signal: null, stdout: '', stderr: '', timedOut: false, notFound: true, ms: 0 };
      }
      const f = path.join(dir, `warmup-${key.replace(/\W+/g, '_')}.out`);
      fs.writeFileSync(f, answers[key]);
      const r = await real.run('cat', [f]);
      fs.rmSync(f, { force: true });
      return { ...r, file, args };
    },
    background: () => undefined,
  };
};
// A loopback HTTP server answering every request with `body` (status 200); resolves with the listening server.
const serveHttp = (body) => new Promise((resolve) => {
  const srv = require('node:net').createServer((c) => {
    c.once('data', () => c.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`));
    c.on('error', () => undefined);
  });
  srv.listen(0, '127.0.0.1', () => resolve(Object.assign(srv, { port: srv.address().port })));
});
const quiet = (tag) => ({ tag, facility: undefined, logfile: undefined, debuglog: undefined, debug: true, tty: false,
  stderr: () => {}, now: () => new Date(0), syslog: () => {} });

// The DRBD emulator's query tools (the lab runs them on every monitor): their queries against a stand-in kernel in
// the build folder, as a running one looks to them: the state it published (a connected Secondary), a process named
// hakit-drbd-kernel (a shell waiting on its stdin, ended afterwards) and a socket that answers every request with that state.
// Exit codes expected as for the agents.
const adm = (...args) => [['-c', '@dir/warmup-drbd.conf', ...args, 'r0'], 0];
const TOOLS = {
  'tool-drbdsetup': [[['role', '0'], 0], [['events2', '--now', 'r0'], 0], [['sh-status', '0'], 0], [['dstate', '0'], 0]],
  'tool-drbdadm': [adm('role'), adm('dstate'), adm('cstate'), adm('sh-dev'), adm('-v', 'adjust')],
};
const SNAPSHOT = { name: 'r0', minor: 0, vnr: 0, role: 'Secondary', peer: 'Secondary', cstate: 'Connected', disk: 'UpToDate',
  pdsk: 'UpToDate', susp: false, userIsp: false, peerIsp: false, aftrIsp: false, configured: { disk: true, net: true },
  protocol: 'C', sizeKiB: 1024, stats: { ns: 0, nr: 0, dw: 0, dr: 0, al: 0, bm: 0, oosKiB: 0 }, res_opts: {},
  disk_conf: { backing: '/dev/hakit-warmup-none', meta: '/dev/hakit-warmup-none', idx: 'internal', opts: {} },
  net_conf: { local: 'ipv4:192.0.2.1:7789', peer: 'ipv4:192.0.2.2:7789', opts: {} } };
const warmTool = async (dir, key, main) => {
  const run = path.join(dir, 'warmup-drbd-run');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'minor-0'), 'r0\n');
  fs.writeFileSync(path.join(dir, 'warmup-drbd.conf'), `resource r0 {\n  on ${require('node:os').hostname()} {\n    device /dev/drbd0;\n` +
    '    disk /dev/hakit-warmup-none;\n    address 192.0.2.1:7789;\n    meta-disk internal;\n  }\n  on hakit-warmup-peer {\n' +
    '    device /dev/drbd0;\n    disk /dev/hakit-warmup-none;\n    address 192.0.2.2:7789;\n    meta-disk internal;\n  }\n}\n');
  let asked = 0; // requests that reached the socket: none (no resync runs, so every query reads the published state)
  const server = require('node:net').createServer((c) => {
    c.once('data', () => { asked++; c.end(`${JSON.stringify({ rc: 0, state: SNAPSHOT })}\n`); });
  });
  await new Promise((res) => server.listen(path.join(run, 'r0.sock'), res));
  const kernel = require('node:child_process').spawn('sh', ['-c', 'read x', 'sh', 'r0'], { argv0: 'hakit-drbd-kernel', stdio: ['pipe', 'ignore', 'ignore'] });
  fs.writeFileSync(path.join(run, 'r0.state.json'), JSON.stringify({ ...SNAPSHOT, pid: kernel.pid }));
  const saved = { env: { ...process.env }, out: process.stdout.write, err: process.stderr.write };
  Object.assign(process.env, { HAKIT_DRBD_RUN: run, HAKIT_DRBD_DEV_DIR: path.join(dir, 'warmup-drbd-dev'), PATH: '/nonexistent' });
  try {
    for (const [argv, want] of TOOLS[key]) {
      let said = '';
      process.stdout.write = process.stderr.write = (chunk) => { said += chunk; return true; };
      const rc = await main(argv.map((a) => a.replaceAll('@dir', dir)));
      process.stdout.write = saved.out; process.stderr.write = saved.err;
      if (rc !== want) throw new Error(`warm-up of ${key} ${argv.join(' ')}: returned ${rc}, expected ${want}: ${said.trim()}`);
    }
    if (asked !== 0) throw new Error(`warm-up of ${key}: ${asked} queries asked the kernel's socket, expected none (all from the published state)`);
  } finally {
    process.stdout.write = saved.out; process.stderr.write = saved.err;
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
    Object.assign(process.env, saved.env);
    kernel.kill();
    await new Promise((res) => server.close(res));
    fs.rmSync(run, { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'warmup-drbd.conf'), { force: true });
  }
};

const main = async () => {
  const [dir, ...keys] = process.argv.slice(2);
  for (const key of keys) {
    const code = fs.readFileSync(`${dir}/${key}.cjs`, 'utf8');
    const s = new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: `hakit:${key}.cjs` });
    const mod = { exports: {} };
    if (!process.env.HAKIT_COLD_CACHE) {
      s.runInThisContext()(mod.exports, require, mod, `${key}.cjs`, dir);
      const warms = [WARMUP[key.replace(/^agent-/, '')] ?? []].flat();
      if (warms.length && mod.exports.runAgent && mod.exports.spec) {
        // the spawn path once, for agents whose warm-up actions start no program
        const noop = new Proxy({}, { get: () => () => undefined });
        await mod.exports.createRunner({ budget: { remaining: () => 5000 }, log: noop }).run('cat', [`${dir}/${key}.cjs`]);
      }
      for (const warm of mod.exports.runAgent && mod.exports.spec ? warms : []) {
        const server = warm.serve === undefined ? undefined : await serveHttp(warm.serve);
        const subst = (v) => v.replaceAll('@dir', dir).replaceAll('@port', String(server?.port ?? 0))
          .replaceAll('@pid', String(process.pid)).replaceAll('@runtime', process.execPath);
        const files = Object.keys(warm.files ?? {});
        for (const f of files) fs.writeFileSync(path.join(dir, f), subst(warm.files[f]));
        fs.mkdirSync(path.join(dir, 'warmup-tmp'), { recursive: true });
        for (const [i, [action, interval]] of ACTIONS.entries()) {
          const env = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'hakit-warmup', OCF_RESKEY_CRM_meta_interval: interval,
            OCF_RESKEY_CRM_meta_timeout: '5000', PATH: '/usr/bin:/bin', HA_RSCTMP: '/nonexistent/hakit-warmup' };
          for (const [k, v] of Object.entries(warm.params)) env[`OCF_RESKEY_${k}`] = v;
          Object.assign(env, warm.env);
          for (const k of Object.keys(env)) env[k] = subst(env[k]);
          const runner = replayRunner(mod.exports.createRunner, dir, warm.answers);
          const rc = await mod.exports.runAgent(mod.exports.spec, action, env, { stdout: () => {}, stderr: () => {}, sinks: quiet, runner });
          if (rc !== warm.expect[i]) throw new Error(`warm-up of ${key} ${JSON.stringify(warm.params)}: ${action} (interval ${interval}) returned ${rc}, expected ${warm.expect[i]}`);
        }
        for (const f of files) fs.rmSync(path.join(dir, f), { force: true });
        fs.rmSync(path.join(dir, 'warmup-tmp'), { recursive: true, force: true });
        if (server) await new Promise((res) => server.close(res));
      }
      if (TOOLS[key] && mod.exports.main) await warmTool(dir, key, mod.exports.main);
    }
    fs.writeFileSync(`${dir}/${key}.cache`, s.createCachedData());
  }
};
main().catch((e) => { console.error(e); process.exit(1); });
