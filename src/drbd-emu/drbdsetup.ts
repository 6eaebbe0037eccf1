// drbdsetup / drbdsetup-84 stand-in: the commands drbdadm-84 and the agents send to an 8.4 kernel. A library too:
// runDrbdsetup(argv, io) is what the emulated drbdadm calls in-process (no second executable start).
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { processIo, type Io } from './io';
import { PROC_HEADER, formatCstate, formatDstate, formatEvents2Now, formatRole, formatShStatus, formatStatus } from './format';
import { procPath, runDir, sockPath, statePath, validName } from './paths';
import { ensureDir, writeInPlace } from './dataplane';
import { SS } from './rules';
import { request, resOfMinor, startKernel } from './spawn';
import type { Snapshot } from './types';

const ERR: Record<number, string> = {
  104: 'Can not open backing device.', 119: 'No valid meta-data signature found.\n\n\t==> Use \'drbdadm create-md res\' to initialize meta-data area. <==\n',
  124: 'Device is attached to a disk (use detach first)', 125: 'Device has a net-config (use disconnect first)',
  127: 'Device minor not allocated', 138: 'Device does not have a disk-config', 158: 'Unknown resource',
  161: 'Minor or volume exists already (delete it first)', 162: 'Invalid configuration request',
};
const INFO: Record<number, string> = { 127: 'unknown minor', 158: 'unknown resource' };

// drbdsetup-84's usage text (print_usage_and_exit), as recorded from the real tool.
export const USAGE = "\nUSAGE: drbdsetup command device arguments options\n\nDevice is usually /dev/drbdX or /dev/drbd/X.\n\nCommands are:\n    primary             secondary           attach              \n    disk-options        detach              connect             \n    net-options         disconnect          resize              \n    resource-options    new-current-uuid    invalidate          \n    invalidate-remote   pause-sync          resume-sync         \n    suspend-io          resume-io           outdate             \n    verify              down                state               \n    role                sh-status           cstate              \n    dstate              show-gi             get-gi              \n    show                status              check-resize        \n    events              events2             wait-connect        \n    wait-sync           new-resource        new-minor           \n    del-minor           del-resource        \n\nTo get more details about a command issue 'drbdsetup help cmd'.\n\n";
// Prints a kernel refusal the way drbdsetup's print_config_error does; returns the exit code.
export const configError = (io: Io, obj: string, code: number, info?: string): number => {
  const err = io.err;
  if (code > 100) {
    err(`${obj}: Failure: (${code}) ${ERR[code] ?? 'Unknown error'}\n`);
    const i = info ?? INFO[code];
    if (i) err(`additional info from kernel:\n${i}\n`);
    return 10;
  }
  err(`${obj}: State change failed: (${code}) ${SS[code] ?? 'unknown error'}\n`);
  return code === -2 ? 17 : code === -16 ? 16 : 11;
};

const splitOpts = (args: string[]): { pos: string[]; opts: Record<string, string> } => {
  const pos: string[] = [];
  const opts: Record<string, string> = {};
  for (const a of args) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(a);
    if (m) opts[m[1]!] = m[2] ?? 'yes';
    else pos.push(a);
  }
  return { pos, opts };
};

// Resolves a minor number or resource name to the resource whose daemon holds it.
const target = (obj: string): string | undefined => {
  const dev = /^\/dev\/drbd(\d+)$/.exec(obj);
  return dev ? resOfMinor(Number(dev[1])) : /^\d+$/.test(obj) ? resOfMinor(Number(obj)) : obj;
};

// A resource's state as its kernel last published it (kernel.ts publish: on every state change, before the reply to
// the command that made it), while that kernel still runs: read from a file, so a query loads no socket and stream
// modules and makes no round trip. Only for answers without live counters (role, cstate, dstate, sh-status and
// events2 without --statistics, drbdadm adjust's comparison); undefined (ask the kernel) when the file, its socket or
// its process is missing, or while a resync runs.
export const publishedState = (res: string): Snapshot | undefined => {
  try {
    if (!existsSync(sockPath(res))) return undefined;
    const s = JSON.parse(readFileSync(statePath(res), 'utf8')) as Snapshot & { pid?: number };
    const argv = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').split('\0');
    // a resync's progress is published only now and then: while one runs, its numbers come from the kernel
    return s.minor >= 0 && !s.sync && argv.some((a) => a.endsWith('hakit-drbd-kernel')) && argv.includes(res) ? s : undefined;
  } catch {
    return undefined;
  }
};

// The state a query shows: the published one where that may be used (not `live`: counters), else the kernel's own;
// undefined when no kernel runs for `res`.
export const queryState = async (res: string, live = false): Promise<Snapshot | undefined> =>
  (!live && publishedState(res)) || (await request(res, { op: 'status' }))?.state;

const call = async (io: Io, obj: string, req: Record<string, unknown>): Promise<{ code: number; state?: Snapshot }> => {
  const res = target(obj);
  const r = res ? await request(res, req) : undefined;
  if (!r) return { code: configError(io, obj, /^(\/dev\/drbd)?\d+$/.test(obj) ? 127 : 158) };
  if (r.rc) return { code: configError(io, obj, r.err.code, r.err.info), state: r.state };
  return { code: 0, state: r.state };
};

const waitConnect = async (io: Io, obj: string, opts: Record<string, string>): Promise<number> => {
  const t = Number(opts['wfc-timeout'] ?? opts['wait-connect-timeout'] ?? 0);
  const deadline = t > 0 ? Date.now() + t * 1000 : Infinity;
  for (;;) {
    const r = await call(io, obj, { op: 'status' });
    if (r.code) return r.code;
    const c = r.state!.cstate;
    if (!['StandAlone', 'Unconnected', 'WFConnection', 'WFReportParams', 'Disconnecting', 'Timeout', 'BrokenPipe', 'NetworkFailure', 'ProtocolError', 'TearDown'].includes(c)) return 0;
    if (c === 'StandAlone' && opts['wait-after-sb'] === undefined) return 0;
    if (Date.now() > deadline) return 5;
    await new Promise((res) => setTimeout(res, 100));
  }
};

// Entry: argv without the program name.
export const main = (argv: string[]): Promise<number> => runDrbdsetup(argv, processIo);

// One drbdsetup-84 command (argv without the program name), its output written to `io`; returns the exit code.
export const runDrbdsetup = async (argv: readonly string[], io: Io): Promise<number> => {
  const { out, err } = io;
  if (process.env.HAKIT_DRBD_TRACE) appendFileSync(process.env.HAKIT_DRBD_TRACE, `drbdsetup ${argv.join(' ')}\n`);
  const [cmd, ...args] = argv;
  const firstPos = args.findIndex((a) => !a.startsWith('-'));
  const obj = firstPos >= 0 ? args[firstPos]! : '';
  const rest = firstPos >= 0 ? [...args.slice(0, firstPos), ...args.slice(firstPos + 1)] : args;
  if (!cmd) { out(USAGE); return 20; }
  if (!existsSync(procPath())) { ensureDir(runDir()); writeInPlace(procPath(), PROC_HEADER); } // the "module" is loaded
  const { pos, opts } = splitOpts(rest);
  switch (cmd) {
    case 'new-resource':
      if (!validName(obj)) { err(`${obj}: Invalid resource name\n`); return 20; }
      if (await request(obj, { op: 'status' })) return 0;
      return (await startKernel(obj)) ? 0 : configError(io, obj, 162, 'emulated kernel did not start');
    case 'new-minor': return (await call(io, obj, { op: 'new-minor', minor: pos[0], vnr: pos[1] })).code;
    case 'attach': return (await call(io, obj, { op: 'attach', backing: pos[0], meta: pos[1], idx: pos[2], opts })).code;
    case 'connect': return (await call(io, obj, { op: 'connect', local: pos[0], peer: pos[1], opts })).code;
    case 'disconnect': {
      // 8.4 addresses the connection by its two addresses: find the resource holding them
      if (!obj.includes(':')) return (await call(io, obj, { op: 'disconnect' })).code;
      const res = await byAddress(obj);
      if (!res) return configError(io, obj, 162, 'unknown connection');
      return (await call(io, res, { op: 'disconnect' })).code;
    }
    case 'primary': return (await call(io, obj, { op: 'primary', force: opts.force !== undefined || opts.overwrite_data_of_peer !== undefined })).code;
    case 'secondary': return (await call(io, obj, { op: 'secondary' })).code;
    case 'outdate': return (await call(io, obj, { op: 'outdate' })).code;
    case 'detach': return (await call(io, obj, { op: 'detach' })).code;
    case 'invalidate': return (await call(io, obj, { op: 'invalidate' })).code;
    case 'new-current-uuid': return (await call(io, obj, { op: 'new-current-uuid', clearBitmap: opts['clear-bitmap'] !== undefined })).code;
    case 'resource-options': case 'disk-options': case 'net-options':
      return (await call(io, obj, { op: 'options', kind: cmd.split('-')[0], opts })).code;
    case 'resize': case 'check-resize': case 'del-minor': case 'del-resource': case 'pause-sync': case 'resume-sync':
      return (await call(io, obj, { op: 'status' })).code;
    case 'down': {
      const res = target(obj);
      const r = res ? await request(res, { op: 'down' }) : undefined;
      if (!r) return 0; // down of an unknown resource succeeds
      return r.rc ? configError(io, obj, r.err.code, r.err.info) : 0;
    }
    case 'role': case 'cstate': case 'dstate': case 'sh-status': {
      if (cmd === 'sh-status' && /^\d+$/.test(obj) && !target(obj)) { out(shStatusUnknownMinor(Number(obj))); return 0; }
      const res = target(obj);
      const known = res ? publishedState(res) : undefined;
      const r = known ? { code: 0, state: known } : await call(io, obj, { op: 'status' });
      if (r.code) return r.code;
      out((cmd === 'role' ? formatRole : cmd === 'cstate' ? formatCstate : cmd === 'dstate' ? formatDstate : formatShStatus)(r.state!));
      return 0;
    }
    case 'status': {
      if (opts.json !== undefined) { err(`status: unrecognized option '--json'\n`); out(USAGE); return 20; } // getopt, as recorded
      const res = target(obj || 'all');
      const r = res && res !== 'all' ? await request(res, { op: 'status' }) : undefined;
      if (!r) { if (obj && obj !== 'all') { err(`${obj}: No such resource\n`); return 10; } return 0; }
      out(formatStatus(r.state, { verbose: opts.verbose !== undefined || rest.includes('-v'), statistics: opts.statistics !== undefined || rest.includes('-s') }));
      return 0;
    }
    case 'events2': {
      // without a resource (or "all"): every resource of this node, by name
      const names = obj && obj !== 'all' ? [target(obj) ?? obj] : allResources();
      const parts: string[] = [];
      const stats = opts.statistics !== undefined;
      for (const n of names) {
        const state = await queryState(n, stats);
        if (state) parts.push(formatEvents2Now(state, stats).replace(/exists -\n$/, ''));
      }
      out(`${parts.join('')}exists -\n`);
      return 0;
    }
    case 'wait-connect': case 'wait-connect-resource': case 'wait-connect-volume': case 'wait-sync':
      return waitConnect(io, obj, opts);
    case 'show': {
      const r = await call(io, obj, { op: 'status' });
      if (r.code) return r.code;
      out(formatShow(r.state!));
      return 0;
    }
    default:
      out(`${USAGE}\ninvalid command\n`);
      return 20;
  }
};

// The running configuration as `drbdsetup show` prints it (what drbdadm adjust compares with the config file).
export const formatShow = (s: Snapshot): string => {
  const opt = (o: Record<string, string>, ind: string): string =>
    Object.entries(o).filter(([k]) => !k.startsWith('__') && k !== 'discard-my-data').map(([k, v]) => `${ind}${k.padEnd(16)}\t${v};\n`).join('');
  let o = `resource ${s.name} {\n    options {\n${opt(s.res_opts, '        ')}    }\n    net {\n${opt(s.net_conf?.opts ?? {}, '        ')}    }\n`;
  if (s.net_conf) o += `    _remote_host {\n        address\t\t\tipv4 ${s.net_conf.peer.replace(/^ipv4:/, '')};\n    }\n`;
  o += '    _this_host {\n';
  if (s.net_conf) o += `        address\t\t\tipv4 ${s.net_conf.local.replace(/^ipv4:/, '')};\n`;
  o += `        volume ${s.vnr} {\n            device\t\t\tminor ${s.minor};\n`;
  if (s.disk_conf) o += `            disk\t\t\t"${s.disk_conf.backing}";\n            meta-disk\t\t\tinternal;\n            disk {\n${opt(s.disk_conf.opts, '                ')}            }\n`;
  return `${o}        }\n    }\n}\n\n`;
};

// sh-status of a minor that does not exist (as recorded from drbdsetup-84: exit 0).
const shStatusUnknownMinor = (minor: number): string =>
  `_minor=${minor}\n_res_name=\n_volume=-1\n_known=NA # not available or not yet created\n\n_cstate=Unconfigured\n_role=\n_peer=\n_disk=\n_pdsk=\n` +
  '_flags_susp=\n_flags_aftr_isp=\n_flags_peer_isp=\n_flags_user_isp=\n_resynced_percent=\n\n_sh_status_process\n\n\n';

// Resources with a running emulated kernel on this node, sorted by name.
const allResources = (): string[] => {
  try { return readdirSync(runDir()).filter((f) => f.endsWith('.sock')).map((f) => f.slice(0, -5)).sort(); } catch { return []; }
};

const byAddress = async (addr: string): Promise<string | undefined> => {
  for (const f of readdirSync(runDir())) {
    if (!f.endsWith('.state.json')) continue;
    try { const s = JSON.parse(readFileSync(`${runDir()}/${f}`, 'utf8')) as Snapshot; if (s.net_conf?.local === addr) return s.name; } catch { /* */ }
  }
  return undefined;
};
