// hakit-drbd-proc: prints this node's emulated /proc/drbd (for nodes where it cannot be bind-mounted).
import { readFileSync } from 'node:fs';
import { PROC_HEADER } from './format';
import { procPath } from './paths';

export const main = async (): Promise<number> => {
  try { process.stdout.write(readFileSync(procPath(), 'utf8')); } catch { process.stdout.write(PROC_HEADER); }
  return 0;
};
