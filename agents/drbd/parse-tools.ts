// Pure parsers for the other tools' outputs: `drbdadm --version`, `drbdadm dump`, `crm_attribute -G -q`, and
// x.y.z version arithmetic (crm_resource's XML: parse-locate.ts, loaded only when needed).

// A DRBD version as one comparable number: (major << 16) | (minor << 8) | patch, as DRBD_KERNEL_VERSION_CODE.
export const versionCode = (v: string): number | undefined => {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) return undefined;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (a > 255 || b > 255 || c > 255) return undefined;
  return (a << 16) | (b << 8) | c;
};

// "8.4.11" from a version code.
export const versionString = (code: number): string => `${code >> 16}.${(code >> 8) & 0xff}.${code & 0xff}`;

// The kernel module version from `drbdadm --version` (DRBD_KERNEL_VERSION_CODE); undefined when 0 or absent.
export const parseDrbdadmVersion = (text: string): { kernel: number | undefined; utils: number | undefined } => {
  const get = (k: string) => new RegExp(`^${k}=(\\S+)`, 'm').exec(text)?.[1];
  const code = (raw: string | undefined) => {
    if (raw === undefined || !/^0x[0-9a-fA-F]+$/.test(raw)) return undefined;
    const n = parseInt(raw.slice(2), 16);
    return n > 0 ? n : undefined;
  };
  return { kernel: code(get('DRBD_KERNEL_VERSION_CODE')), utils: code(get('DRBDADM_VERSION_CODE')) };
};

// Whether `drbdadm -d -v dump <res>` shows `allow-two-primaries` (or `allow-two-primaries yes`) for the resource.
export const dumpAllowsTwoPrimaries = (dump: string): boolean =>
  /^\s*allow-two-primaries(\s+yes)?\s*;\s*$/m.test(dump);

// The promotion score from `crm_attribute --promotion -G -q` (a number, "INFINITY" forms too); undefined if absent.
export const parseScore = (stdout: string): number | undefined => {
  const v = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (/^[-+]?\d+$/.test(v)) return Number(v);
  if (/^\+?INFINITY$/i.test(v)) return 1_000_000;
  if (/^-INFINITY$/i.test(v)) return -1_000_000;
  return undefined;
};
