import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { NotInstalledError } from '../../src/ocf/errors';
import { extractSettings, type ConfigSettings } from './config-settings';
import { fsSource } from './fs-source';
import { parseEnvvars } from './parse-envvars';
import { flattenConfig, type ConfigSource } from './parse-config';
import { cacheKey, loadCached, storeCached, trackingSource, type Dep, type Parsed } from './config-cache';

// Everything an action needs about this apache instance, derived from the parameters and the httpd config.
export interface Instance {
  readonly httpd: string; // the binary to run
  readonly httpdReal: string; // its real path (to recognise our processes)
  readonly configfile: string;
  readonly pidFile: string;
  readonly pidDirective: boolean; // pass -c "PidFile ..." (the config sets none we can use)
  readonly port: number;
  readonly baseUrl: string; // http://<Listen or localhost:port>
  readonly statusUrl: string;
  readonly statusLocation: ConfigSettings['statusLocation'];
  readonly statusFromIndex: boolean; // no server-status Location found and no statusurl: upstream's index fallback
  readonly env: Record<string, string>; // variables from envfiles, for httpd's environment
  readonly problems: string[]; // config reading notes (debug log)
}

export const DEFAULT_SUSE_CONFIG = '/etc/apache2/httpd.conf';
export const DEFAULT_DEBIAN_CONFIG = '/etc/apache2/apache2.conf';
export const DEFAULT_RHEL_CONFIG = '/etc/httpd/conf/httpd.conf';
const HTTPD_LIST = ['/sbin/httpd2', '/usr/sbin/httpd2', '/usr/sbin/apache2', '/sbin/httpd', '/usr/sbin/httpd', '/usr/sbin/apache',
  '/opt/IBMHTTPServer/bin/httpd'];

// The distribution's default config file, as upstream detects it (SUSE, then Debian, else RHEL).
export const detectDefaultConfig = (): string =>
  existsSync(DEFAULT_SUSE_CONFIG) ? DEFAULT_SUSE_CONFIG : existsSync(DEFAULT_DEBIAN_CONFIG) ? DEFAULT_DEBIAN_CONFIG : DEFAULT_RHEL_CONFIG;

const isExecutableFile = (p: string): boolean => {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

// The httpd parameter when it is an executable file, else the first of upstream's list that exists.
export const findHttpd = (param: string): string | undefined =>
  param && isExecutableFile(param) ? param : HTTPD_LIST.find(isExecutableFile);

// httpd's compiled-in ServerRoot for the usual binaries (used until the config sets ServerRoot).
const compiledServerRoot = (httpd: string, configfile: string): string => {
  const b = basename(httpd);
  if (b === 'apache2') return '/etc/apache2';
  if (b === 'httpd2') return '/srv/www';
  if (b === 'httpd' && httpd.startsWith('/usr/sbin')) return '/etc/httpd';
  return dirname(configfile);
};

// A distribution's default config (upstream's rule: SUSE/Debian/RHEL default paths, and Debian's multi-instance
// /etc/apache2-<name>/apache2.conf): start runs the config test first, as upstream's pre-flight does.
export const isDistroDefault = (configfile: string): boolean =>
  [DEFAULT_SUSE_CONFIG, DEFAULT_DEBIAN_CONFIG, DEFAULT_RHEL_CONFIG].includes(configfile) ||
  /^\/etc\/apache2-[^/]+\/apache2\.conf$/.test(configfile);

// Reads the envfiles (space-separated list) without a shell; APACHE_CONFDIR is preset like apache2ctl does.
export const readEnvfiles = (
  envfiles: string, configfile: string, base: NodeJS.ProcessEnv, src: ConfigSource = fsSource,
): Record<string, string> => {
  const start: Record<string, string | undefined> = { ...base };
  if (start.APACHE_CONFDIR === undefined && basename(configfile) === 'apache2.conf') start.APACHE_CONFDIR = dirname(configfile);
  let cur: Record<string, string | undefined> = start;
  for (const f of envfiles.split(/\s+/).filter(Boolean)) {
    const text = src.read(f);
    if (text === undefined) continue;
    cur = parseEnvvars(text, cur).exported;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cur)) if (v !== undefined && base[k] !== v) out[k] = v;
  return out;
};

// envfiles + config parse, through the per-resource cache (HA_RSCTMP) when its dependencies are unchanged.
const parseCached = (
  envfiles: string, configfile: string, httpd: string, env: NodeJS.ProcessEnv, instanceName: string,
): Parsed => {
  const dir = env.HA_RSCTMP || '/run/resource-agents';
  const key = cacheKey([envfiles, configfile, httpd, instanceName], env);
  const hit = loadCached(dir, instanceName, key);
  if (hit) return hit;
  const deps = new Map<string, Dep>();
  const src = trackingSource(fsSource, deps);
  const vars = readEnvfiles(envfiles, configfile, env, src);
  const flat = flattenConfig(configfile, { src, env: { ...env, ...vars }, defaultServerRoot: compiledServerRoot(httpd, configfile) });
  const parsed: Parsed = { vars, settings: extractSettings(flat.lines), problems: flat.problems };
  storeCached(dir, instanceName, key, parsed, deps);
  return parsed;
};

// Upstream's buildlocalurl from Listen/port: a bare port means localhost; wildcard addresses mean this host.
export const baseUrlFor = (s: ConfigSettings, port: number): string => {
  let listen = s.listen;
  if (!listen) listen = `localhost:${port}`;
  else if (!listen.includes(':')) listen = `localhost:${listen}`;
  listen = listen.replace(/^(0\.0\.0\.0|\*):/, 'localhost:').replace(/^\[::\]:/, '[::1]:');
  const lport = /:(\d+)$/.exec(listen)?.[1];
  const https = s.listenProtocol?.toLowerCase() === 'https' || (lport === '443' && !s.listenProtocol);
  return `${https ? 'https' : 'http'}://${listen}`;
};

// Resolves the instance; throws NotInstalledError when httpd or the config file is missing.
export const resolveInstance = (
  params: { httpd: string; configfile: string; port: number | undefined; statusurl: string; envfiles: string },
  env: NodeJS.ProcessEnv,
  instanceName: string,
): Instance => {
  const httpd = findHttpd(params.httpd);
  if (!httpd) throw new NotInstalledError('apache httpd program not found');
  const configfile = params.configfile || detectDefaultConfig();
  if (!isAbsolute(configfile)) throw new NotInstalledError(`configfile ${JSON.stringify(configfile.slice(0, 200))} is not an absolute path`);
  if (fsSource.kind(configfile) !== 'file') throw new NotInstalledError(`Configuration file ${configfile} not found!`);
  let httpdReal = httpd;
  try { httpdReal = realpathSync(httpd); } catch { /* keep the given path */ }
  const { vars, settings: s, problems } = parseCached(params.envfiles, configfile, httpd, env, instanceName);
  const serverRoot = s.serverRoot ?? compiledServerRoot(httpd, configfile);
  let pidFile: string;
  let pidDirective = false;
  if (s.pidFile && s.pidFile.startsWith('/') && !s.pidFile.includes('${')) pidFile = s.pidFile;
  else if (s.pidFile && /^[A-Za-z0-9]/.test(s.pidFile)) pidFile = join(serverRoot, s.pidFile);
  else {
    const varrun = env.HA_VARRUN || '/var/run';
    pidFile = join(varrun, `${basename(httpd).replace(/-.*/, '')}-${instanceName}.pid`);
    pidDirective = true;
  }
  const cfgPort = s.port !== undefined && /^\d+$/.test(s.port) && Number(s.port) > 0 ? Number(s.port) : undefined;
  const port = params.port !== undefined && params.port > 0 ? params.port : cfgPort ?? 80;
  const baseUrl = baseUrlFor(s, port);
  const statusFromIndex = !params.statusurl && !s.statusLocation;
  const statusUrl = params.statusurl || `${baseUrl}${s.statusLocation?.path ?? ''}`;
  return {
    httpd, httpdReal, configfile, pidFile, pidDirective, port, baseUrl, statusUrl, statusLocation: s.statusLocation,
    statusFromIndex, env: vars, problems,
  };
};
