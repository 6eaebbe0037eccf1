// Run by the pinned runtime at build time (packaging/build.mjs): writes <key>.cache, the V8 code cache of each
// bundle <key>.cjs in the build folder. A cache holds the functions compiled before it is written, so each bundle is
// first run the way a call runs it: its top level (which only defines the spec), then, for an agent, a few actions
// through the framework's own dispatch with quiet logging and a runner that starts nothing (canned answers for the
// programs a monitor asks, "not installed" for the rest), so no process runs and nothing changes on the build
// machine; the parameters name things that do not exist (TEST-NET addresses, absent files). The functions a real call uses are then deserialized instead of
// compiled (measured ~1 ms per call; docs/figures.md). Usage: node make-code-cache.cjs <build dir> <key>...
const { Script } = require('node:vm');
const fs = require('node:fs');

// Per agent: the parameters, and the canned answers of the (never started) programs, by "<program> <first arg>".
const WARMUP = {
  IPaddr2: { params: { ip: '192.0.2.1', cidr_netmask: '24' } },
  Filesystem: { params: { device: '/dev/hakit-warmup-none', directory: '/run/hakit-warmup-none', fstype: 'ext4' } },
  apache: { params: { configfile: '/nonexistent/hakit-warmup/apache2.conf' } },
  drbd: {
    params: { drbd_resource: 'hakit-warmup-none' },
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
const ACTIONS = [['monitor', '10000'], ['monitor', '0'], ['validate-all', '0']];

// A runner that starts nothing: canned answers where given, "not installed" otherwise.
const cannedRunner = (answers = {}) => () => ({
  run: async (file, args) => {
    const out = answers[`${file} ${args[0] ?? ''}`];
    return out === undefined
      ? { file, args, code: 127, signal: null, stdout: '', stderr: '', timedOut: false, notFound: true, ms: 0 }
      : { file, args, code: 0, signal: null, stdout: out, stderr: '', timedOut: false, notFound: false, ms: 0 };
  },
  background: () => undefined,
});
const quiet = (tag) => ({ tag, facility: undefined, logfile: undefined, debuglog: undefined, debug: true, tty: false,
  stderr: () => {}, now: () => new Date(0), syslog: () => {} });

const main = async () => {
  const [dir, ...keys] = process.argv.slice(2);
  for (const key of keys) {
    const code = fs.readFileSync(`${dir}/${key}.cjs`, 'utf8');
    const s = new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: `hakit:${key}.cjs` });
    const mod = { exports: {} };
    if (!process.env.HAKIT_COLD_CACHE) {
      s.runInThisContext()(mod.exports, require, mod, `${key}.cjs`, dir);
      const warm = WARMUP[key.replace(/^agent-/, '')];
      if (warm && mod.exports.runAgent && mod.exports.spec) {
        for (const [action, interval] of ACTIONS) {
          const env = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'hakit-warmup', OCF_RESKEY_CRM_meta_interval: interval,
            OCF_RESKEY_CRM_meta_timeout: '5000', PATH: '/nonexistent', HA_RSCTMP: '/nonexistent/hakit-warmup' };
          for (const [k, v] of Object.entries(warm.params)) env[`OCF_RESKEY_${k}`] = v;
          await mod.exports.runAgent(mod.exports.spec, action, env, { stdout: () => {}, stderr: () => {}, sinks: quiet, runner: cannedRunner(warm.answers) });
        }
      }
    }
    fs.writeFileSync(`${dir}/${key}.cache`, s.createCachedData());
  }
};
main().catch((e) => { console.error(e); process.exit(1); });
