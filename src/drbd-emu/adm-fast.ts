// drbdadm's in-process fast path: the commands the agents and the lab run per monitor/promote/demote/notify,
// answered from our own reading of the resource file and the emulated drbdsetup called as a library, in ONE
// process. `undefined` means "not handled here": the caller runs the real drbdadm-84 instead. Every command here
// either succeeds exactly as drbdadm-84 would, or leaves no trace (a refused state change changes nothing; a
// query has no effect) and is handed to drbdadm-84, which then prints its own messages and exit code.
import { hostname } from 'node:os';
import { Unsupported } from './conf-parse';
import { loadResource, type ResourceConf } from './conf-resource';
import { queryState, runDrbdsetup } from './drbdsetup';
import { bufferIo, type Io } from './io';
import type { Snapshot } from './types';

export interface AdmArgs { conf: string; verbose: boolean; peer?: string; force: boolean; cmd: string; res: string }

// drbdadm's argument forms the fast path takes (everything else: undefined).
export const parseAdmArgs = (argv: readonly string[], defaultConf: string): AdmArgs | undefined => {
  let conf = defaultConf;
  let verbose = false;
  let force = false;
  let peer: string | undefined;
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--config-file') { const v = argv[++i]; if (v === undefined) return undefined; conf = v; }
    else if (a.startsWith('--config-file=')) conf = a.slice(14);
    else if (/^-c./.test(a)) conf = a.slice(2);
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '--force') force = true;
    else if (a === '--peer') { const v = argv[++i]; if (v === undefined) return undefined; peer = v; }
    else if (a.startsWith('--peer=')) peer = a.slice(7);
    else if (a.startsWith('-')) return undefined;
    else pos.push(a);
  }
  if (pos.length !== 2 || !conf) return undefined;
  const [cmd, res] = pos as [string, string];
  if (res === 'all' || !/^[-%+./0-9=@A-Z_a-z]{1,127}$/.test(res)) return undefined;
  return { conf, verbose, force, cmd, res, ...(peer !== undefined ? { peer } : {}) };
};

const visible = (o: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('__') && k !== 'discard-my-data'));

const sameOpts = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
};

const bare = (addr: string): string => addr.replace(/^ipv4:/, '');

// Whether the running resource already has exactly the configuration of the file (drbdadm adjust has nothing to do).
export const inSync = (s: Snapshot, r: ResourceConf): boolean =>
  s.minor === r.self.minor && s.vnr === 0 && !!s.disk_conf && s.disk_conf.backing === r.self.disk && s.disk_conf.idx === 'internal' &&
  sameOpts(visible(s.disk_conf.opts), r.disk) && !!s.net_conf && bare(s.net_conf.local) === bare(r.self.address) &&
  bare(s.net_conf.peer) === bare(r.peer.address) && sameOpts(visible(s.net_conf.opts), r.net) && sameOpts(visible(s.res_opts), r.options);

// The drbdsetup-84 calls drbdadm-84 makes for `cmd` (one call each); undefined: not a fast-path command.
const setupCalls = (a: AdmArgs, r: ResourceConf): string[][] | undefined => {
  const m = String(r.self.minor);
  switch (a.cmd) {
    case 'role': case 'cstate': case 'dstate': case 'secondary': return [[a.cmd, m]];
    case 'primary': return [['primary', m, ...(a.force ? ['--force'] : [])]];
    case 'status': case 'down': return [[a.cmd, r.name]];
    case 'disconnect': return [['disconnect', r.self.address, r.peer.address]];
    case 'wait-connect': return Object.keys(r.startup).length ? undefined : [['wait-connect', m]];
    case 'check-resize': return [['resize', m], ['check-resize', m]];
    default: return undefined;
  }
};

const flush = (b: { stdout: string; stderr: string }, io: Io): void => { if (b.stdout) io.out(b.stdout); if (b.stderr) io.err(b.stderr); };

// Runs `argv` (drbdadm's arguments) in-process; the exit code, or undefined when drbdadm-84 must handle it.
export const fastDrbdadm = async (argv: readonly string[], defaultConf: string, io: Io): Promise<number | undefined> => {
  const a = parseAdmArgs(argv, defaultConf);
  if (!a) return undefined;
  const noOpts = !a.force && a.peer === undefined;
  let r: ResourceConf;
  try { r = loadResource(a.conf, a.res, hostname()); } catch (e) { if (e instanceof Unsupported) return undefined; throw e; }
  if (a.peer !== undefined && a.peer !== r.peer.name) return undefined;
  if (a.cmd === 'sh-dev' || a.cmd === 'sh-minor') {
    if (!noOpts || a.verbose) return undefined;
    io.out(`${a.cmd === 'sh-dev' ? r.self.device : r.self.minor}\n`);
    return 0;
  }
  if (a.cmd === 'adjust') {
    if (a.force) return undefined;
    const st = await queryState(r.name);
    return st && inSync(st, r) ? 0 : undefined;
  }
  if (a.verbose || (a.force && a.cmd !== 'primary') || a.peer !== undefined) return undefined;
  const calls = setupCalls(a, r);
  if (!calls) return undefined;
  const b = bufferIo();
  for (const c of calls) {
    const rc = await runDrbdsetup(c, b);
    if (rc !== 0) return undefined; // drbdadm-84 runs it again and reports the refusal (nothing happened)
  }
  flush(b, io);
  return 0;
};
