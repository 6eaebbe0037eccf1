// drbdadm stand-in. The commands the agents and the lab run per monitor/promote/demote/notify are answered
// in-process (adm-fast.ts: our own reading of the resource file, the emulated drbdsetup as a library: one executable
// start); everything else runs the real drbd-utils 9.22 drbdadm-84 (config parsing, command expansion, messages,
// exit codes), pointed at the emulated drbdsetup-84 and drbdmeta. --version answers for the emulated 8.4.11 module.
// Like the 9.22 drbdadm that re-executes drbdadm-84, it sets DRBD_DONT_WARN_ON_VERSION_MISMATCH.
// HAKIT_DRBDADM_FAST=0 turns the fast path off (the differential test and the benchmark compare both paths).
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fastDrbdadm } from './adm-fast';
import { childProcess } from './child';
import { processIo } from './io';
import { libexecDir } from './spawn';

export const REAL_DRBDADM_84 = '/usr/lib/drbd/drbdadm-84';

const hasConfArg = (argv: readonly string[]): boolean => argv.some((a) => a === '-c' || a.startsWith('--config-file') || /^-c./.test(a));

// The configuration file drbdadm-84 reads when none is given ('' when another default file would take precedence).
const defaultConf = (): string =>
  process.env.HAKIT_DRBD_CONF || (['/etc/drbd-84.conf', '/etc/drbd-08.conf'].some((f) => existsSync(f)) ? '' : '/etc/drbd.conf');

// The real drbdadm-84 with the emulated tools.
const realDrbdadm = (argv: string[]): Promise<number> => {
  const dir = libexecDir();
  const conf = process.env.HAKIT_DRBD_CONF && !hasConfArg(argv) ? ['-c', process.env.HAKIT_DRBD_CONF] : [];
  const args = ['--drbdsetup', join(dir, 'drbdsetup-84'), '--drbdmeta', join(dir, 'drbdmeta'), ...conf, ...argv];
  return new Promise((res) => {
    const c = childProcess().spawn(process.env.HAKIT_DRBD_REAL_DRBDADM || REAL_DRBDADM_84, args, { stdio: 'inherit', argv0: 'drbdadm', env: { ...process.env, DRBD_DONT_WARN_ON_VERSION_MISMATCH: '1', PATH: `${dir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` } });
    c.on('error', (e) => { process.stderr.write(`drbdadm: ${e.message}\n`); res(20); });
    c.on('exit', (code, sig) => res(code ?? 128 + (sig ? 9 : 0)));
  });
};

export const main = async (argv: string[]): Promise<number> => {
  if (argv.includes('--version') || argv.includes('-V')) {
    processIo.out('DRBDADM_BUILDTAG=GIT-hash:\\ 409097fe02187f83790b88ac3e0d94f3c167adab\\ reproducible\\ build\\,\\ 2023-01-09\\ 14:51:18\nDRBDADM_API_VERSION=1\nDRBD_KERNEL_VERSION_CODE=0x08040b\nDRBD_KERNEL_VERSION=8.4.11\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n');
    return 0;
  }
  if (process.env.HAKIT_DRBDADM_FAST !== '0' && !process.env.HAKIT_DRBD_REAL_DRBDADM) {
    const rc = await fastDrbdadm(argv, defaultConf(), processIo);
    if (process.env.HAKIT_DRBD_TRACE) appendFileSync(process.env.HAKIT_DRBD_TRACE, `drbdadm ${rc === undefined ? 'real' : 'fast'} ${argv.join(' ')}\n`);
    if (rc !== undefined) return rc;
  }
  return realDrbdadm(argv);
};
