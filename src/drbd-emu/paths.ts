// Where the emulated kernel keeps its runtime files (per node: /run is private to a lab node).
import { join } from 'node:path';

export const runDir = (): string => process.env.HAKIT_DRBD_RUN || '/run/hakit-drbd';
export const sockPath = (res: string): string => join(runDir(), `${res}.sock`);
export const minorPath = (minor: number): string => join(runDir(), `minor-${minor}`);
export const statePath = (res: string): string => join(runDir(), `${res}.state.json`);
export const logPath = (res: string): string => join(runDir(), `${res}.log`);
// The /proc/drbd view (bind-mount target / what `hakit-drbd-proc` prints).
export const procPath = (): string => process.env.HAKIT_DRBD_PROC_FILE || process.env.HAKIT_DRBD_PROC || join(runDir(), 'proc-drbd');
// Device nodes: /dev/drbd<minor> unless HAKIT_DRBD_DEV_DIR says otherwise.
export const devPath = (minor: number): string => join(process.env.HAKIT_DRBD_DEV_DIR || '/dev', `drbd${minor}`);
// Resource names the kernel accepts (drbdadm checks the same charset).
export const validName = (n: string): boolean => /^[-%+./0-9:=@A-Z_a-z]{1,127}$/.test(n) && !n.includes('/') && n !== '.' && n !== '..';
