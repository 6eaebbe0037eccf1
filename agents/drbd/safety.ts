import { GenericError } from '../../src/ocf/errors';

// Data-safety guard: arguments that make DRBD throw away or overwrite data. The agent never passes them; every
// drbdadm/drbdsetup call goes through assertSafeArgs, and a unit test scans the sources for them.
export const FORBIDDEN_ARGS: readonly string[] = [
  '--force',
  '--overwrite-data-of-peer',
  '--discard-my-data',
  'invalidate-remote',
  'invalidate',
];

// Throws (rc 1) if an argument list contains a data-destroying option; never reached by the agent's own code.
export const assertSafeArgs = (args: readonly string[]): void => {
  for (const a of args) {
    const flag = a.split('=')[0] ?? a;
    if (FORBIDDEN_ARGS.includes(flag)) throw new GenericError(`refusing to run a data-destroying DRBD command (${flag})`);
  }
};
