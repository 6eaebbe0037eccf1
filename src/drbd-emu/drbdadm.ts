// drbdadm stand-in: the real drbd-utils 9.22 drbdadm-84 (config parsing, command expansion, messages, exit codes),
// pointed at the emulated drbdsetup-84 and drbdmeta; only --version answers for the emulated 8.4.11 module. Like the
// 9.22 drbdadm that re-executes drbdadm-84, it sets DRBD_DONT_WARN_ON_VERSION_MISMATCH.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { libexecDir } from './spawn';

export const REAL_DRBDADM_84 = '/usr/lib/drbd/drbdadm-84';

export const main = async (argv: string[]): Promise<number> => {
  if (argv.includes('--version') || argv.includes('-V')) {
    process.stdout.write('DRBDADM_BUILDTAG=GIT-hash:\\ 409097fe02187f83790b88ac3e0d94f3c167adab\\ reproducible\\ build\\,\\ 2023-01-09\\ 14:51:18\nDRBDADM_API_VERSION=1\nDRBD_KERNEL_VERSION_CODE=0x08040b\nDRBD_KERNEL_VERSION=8.4.11\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n');
    return 0;
  }
  const dir = libexecDir();
  const conf = process.env.HAKIT_DRBD_CONF && !argv.some((a) => a === '-c' || a.startsWith('--config-file') || /^-c./.test(a)) ? ['-c', process.env.HAKIT_DRBD_CONF] : [];
  const args = ['--drbdsetup', join(dir, 'drbdsetup-84'), '--drbdmeta', join(dir, 'drbdmeta'), ...conf, ...argv];
  return new Promise((res) => {
    const c = spawn(process.env.HAKIT_DRBD_REAL_DRBDADM || REAL_DRBDADM_84, args, { stdio: 'inherit', argv0: 'drbdadm', env: { ...process.env, DRBD_DONT_WARN_ON_VERSION_MISMATCH: '1', PATH: `${dir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` } });
    c.on('error', (e) => { process.stderr.write(`drbdadm: ${e.message}\n`); res(20); });
    c.on('exit', (code, sig) => res(code ?? 128 + (sig ? 9 : 0)));
  });
};
