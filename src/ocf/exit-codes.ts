// OCF exit codes (OCF 1.1, as Pacemaker 2.1.5 applies them). No TS enum: a const object and a derived type.
export const OCF = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
  DEGRADED: 190,
  DEGRADED_PROMOTED: 191,
} as const;

export type OcfExitCode = (typeof OCF)[keyof typeof OCF];

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(OCF).map(([k, v]) => [v, k]));

// The OCF name of an exit code, for logs ("ERR_CONFIGURED").
export const exitCodeName = (code: number): string => NAMES[code] ?? `rc=${code}`;
