import { appendFileSync } from 'node:fs';
// drbdmeta stand-in (v08, internal meta data): create-md, apply-al, dump-md, get-gi, show-gi, outdate, dstate, wipe-md.
import { backingBytes, freshMeta, geometry, readMeta, writeMeta } from './meta';
import { resOfMinor } from './spawn';

const err = (s: string): void => { process.stderr.write(s); };

// argv: <minor> v08 <backing> internal <command> [options]
export const main = async (argv: string[]): Promise<number> => {
  if (process.env.HAKIT_DRBD_TRACE) appendFileSync(process.env.HAKIT_DRBD_TRACE, `drbdmeta ${argv.join(' ')}\n`);
  const [minor = '', fmt, backing = '', _idx, cmd, ...opts] = argv;
  if (fmt !== 'v08' || !cmd) { err('USAGE: drbdmeta DEVICE FORMAT [FORMAT ARGS...] COMMAND [CMD ARGS...]\n'); return 20; }
  const running = /^\d+$/.test(minor) && resOfMinor(Number(minor)) !== undefined;
  if (running && cmd !== 'apply-al') { err(`Device '${minor}' is configured!\n`); return 20; }
  let bytes = 0;
  try { bytes = backingBytes(backing); } catch (e) { err(`open(${backing}) failed: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`); return 20; }
  const m = readMeta(backing);
  switch (cmd) {
    case 'create-md': {
      if (m && !opts.includes('--force')) {
        // the real tool asks interactively; non-interactive callers get the same refusal
        err('You want me to create a v08 style flexible-size internal meta data block.\nThere appears to be a v08 flexible-size internal meta data block\nalready in place on ' + backing + ' at byte offset ' + geometry(bytes).mdOffset + '\n\nDo you really want to overwrite the existing meta-data?\n[need to type \'yes\' to confirm] \nOperation canceled.\n');
        return 20;
      }
      const g = geometry(bytes);
      writeMeta(backing, freshMeta(g.usable), []);
      // as recorded from the real drbdmeta: the bitmap line goes to stderr
      process.stdout.write('initializing activity log\n');
      process.stderr.write(`initializing bitmap (${Math.ceil(Math.ceil(g.blocks / 8) / 4096) * 4} KB) to all zero\n`);
      process.stdout.write('Writing meta data...\nNew drbd meta data block successfully created.\n');
      return 0;
    }
    case 'wipe-md':
      if (!m) { err('There appears to be no drbd meta data to wipe out?\n'); return 0; }
      writeMeta(backing, { ...m, magic: 'x' as never }, []);
      process.stdout.write('Wiping meta data...\nDRBD meta data block successfully wiped out.\n');
      return 0;
  }
  if (cmd === 'read-dev-uuid') { if (m?.devUuid) process.stdout.write(`${m.devUuid}\n`); return 0; }
  if (!m) { err(`No valid meta data found\n`); return 255; }
  if (cmd === 'write-dev-uuid') { m.devUuid = opts[0]; writeMeta(backing, m); return 0; }
  const u = m.uuids;
  const gi = `${u.current}:${u.bitmap}:${u.history[0]}:${u.history[1]}:${m.flags.consistent ? 1 : 0}:${m.flags.wasUpToDate ? 1 : 0}:0:0:0:0:${m.flags.outdated ? 1 : 0}`;
  switch (cmd) {
    case 'apply-al': return 0;
    case 'get-gi': process.stdout.write(`${gi}\n`); return 0;
    case 'show-gi':
      process.stdout.write(`\n       +--<  Current data generation UUID  >-\n       |               +--<  Bitmap's base data generation UUID  >-\n       |               |                 +--<  younger history UUID  >-\n       |               |                 |         +-<  older history  >-\n       V               V                 V         V\n${u.current}:${u.bitmap}:${u.history[0]}:${u.history[1]}\n`);
      return 0;
    case 'dstate': {
      const d = !m.flags.consistent ? 'Inconsistent' : m.flags.outdated ? 'Outdated' : 'Consistent';
      process.stdout.write(`${d}\n`); return 0; // as recorded: the local state only
    }
    case 'outdate':
      if (!m.flags.consistent) { err('Disk state is lower than outdated\n'); return 16; }
      m.flags.outdated = true; writeMeta(backing, m); return 0;
    case 'invalidate': m.flags.consistent = false; writeMeta(backing, m); return 0;
    case 'dump-md':
      process.stdout.write(`# DRBD meta data dump\nversion "v08";\n\nuuid {\n    ${u.current}; ${u.bitmap}; ${u.history[0]}; ${u.history[1]};\n    flags 0x${(m.flags.consistent ? 1 : 0) | (m.flags.wasUpToDate ? 16 : 0) | (m.flags.outdated ? 32 : 0)};\n}\nla-size-sect ${m.sizeKiB * 2};\n`);
      return 0;
    case 'check-resize': return 0;
    default: err(`Unknown command '${cmd}'.\n`); return 20;
  }
};
