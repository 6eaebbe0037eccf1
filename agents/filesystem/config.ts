import { ConfigError, quote } from '../../src/ocf/index';
import { parseDevice, hasOption, mountSource, type DeviceSpec } from './device-spec';
import { isNetworkType, isNonBlockType } from './fstypes';
import { parseDelay, parseForceUnmount, parseSignals, type ForceUnmount, type SignalSpec } from './signals';
import type { InferParams } from '../../src/ocf/params';
import type { params } from './params';

export type FsParams = InferParams<typeof params>;

// Everything the actions need, checked and normalised once per invocation.
export interface FsConfig {
  readonly device: DeviceSpec;
  readonly source: string; // the mount(8) source: a path or TAG=value
  readonly directory: string; // absolute, trailing "/" stripped (not yet canonicalised)
  readonly fstype: string;
  readonly options: string;
  readonly isBind: boolean;
  readonly isNetwork: boolean;
  readonly nonBlockByType: boolean; // never a block device, whatever `device` is
  readonly forceUnmount: ForceUnmount;
  readonly termSignals: readonly SignalSpec[];
  readonly killSignals: readonly SignalSpec[];
  readonly signalDelayMs: number;
  readonly runFsck: 'auto' | 'force' | 'no';
  readonly fastStop: boolean;
  readonly statusPrefix: string;
}

const PATH_MAX = 4095;
const FSTYPE_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

// The directory as the agent uses it: absolute, no surrounding whitespace, trailing "/" stripped ("" becomes "/").
export const normaliseDirectory = (raw: string): string => {
  if (raw !== raw.trim()) throw new ConfigError(`directory ${quote(raw)} has leading or trailing whitespace`, 'directory');
  if (!raw.startsWith('/')) throw new ConfigError(`directory ${quote(raw)} is not an absolute path`, 'directory');
  if (raw.length > PATH_MAX) throw new ConfigError('directory is longer than PATH_MAX', 'directory');
  if (/[\0\n\r]/.test(raw)) throw new ConfigError('directory contains a line break', 'directory');
  return raw.replace(/\/+$/, '') || '/';
};

// Builds the configuration; throws ConfigError for values that are wrong everywhere. With `lenient` (stop), the
// optional settings fall back to their defaults with a warning instead, so a stop is never blocked by them.
export const buildConfig = (pr: FsParams, warn: (m: string) => void, lenient = false): FsConfig => {
  const soft = <T>(fn: () => T, fallback: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (!lenient) throw e instanceof ConfigError ? e : new ConfigError((e as Error).message);
      warn(`${(e as Error).message}; using the default for this stop`);
      return fallback();
    }
  };
  if (pr.device.length > PATH_MAX) throw new ConfigError('device is longer than PATH_MAX', 'device');
  const device = parseDevice(pr.device);
  if (device.kind === 'invalid') throw new ConfigError(`device ${quote(pr.device)}: ${device.why}`, 'device');
  const directory = normaliseDirectory(pr.directory);
  const fstype = soft(() => {
    if (pr.fstype !== '' && !FSTYPE_RE.test(pr.fstype)) throw new ConfigError(`fstype ${quote(pr.fstype)} is not a filesystem type name`, 'fstype');
    return pr.fstype;
  }, () => '');
  const options = soft(() => {
    if (pr.options.length > PATH_MAX || /[\0\n\r]/.test(pr.options)) throw new ConfigError('options are too long or contain a line break', 'options');
    return pr.options;
  }, () => '');
  const isBind = fstype === 'none' || hasOption(options, 'bind') || hasOption(options, 'rbind');
  const forceUnmount = soft(() => {
    const f = parseForceUnmount(pr.force_unmount);
    if (f === undefined) throw new ConfigError(`force_unmount=${quote(pr.force_unmount)} is not one of true, safe, false, move`, 'force_unmount');
    return f;
  }, () => 'safe' as ForceUnmount);
  const termSignals = soft(() => parseSignals(pr.term_signals, 'term_signals'), () => parseSignals('TERM', 'term_signals'));
  const killSignals = soft(() => parseSignals(pr.kill_signals, 'kill_signals'), () => parseSignals('KILL', 'kill_signals'));
  const signalDelayMs = soft(() => parseDelay(pr.signal_delay) * 1000, () => 1000);
  const statusPrefix = soft(() => {
    const s = pr.statusfile_prefix;
    if (s.startsWith('/') || s.split('/').includes('..') || /[\0\n\r]/.test(s) || s.length > 255) {
      throw new ConfigError(`statusfile_prefix ${quote(s)} must be a relative path inside the mount without ".."`, 'statusfile_prefix');
    }
    return s;
  }, () => '.Filesystem_status/');
  let runFsck: FsConfig['runFsck'] = 'auto';
  if (pr.run_fsck === 'force' || pr.run_fsck === 'no') runFsck = pr.run_fsck;
  else if (pr.run_fsck !== 'auto' && pr.run_fsck !== '') warn(`invalid run_fsck=${quote(pr.run_fsck)}; using "auto"`);
  return {
    device,
    source: mountSource(device),
    directory,
    fstype,
    options,
    isBind,
    isNetwork: isNetworkType(fstype),
    nonBlockByType: isNonBlockType(fstype) || isBind || hasOption(options, 'loop'),
    forceUnmount,
    termSignals,
    killSignals,
    signalDelayMs,
    runFsck,
    fastStop: pr.fast_stop && fstype !== 'gfs2',
    statusPrefix,
  };
};

// The depth-20 status file: <directory>/<prefix><instance>[_<clone>]_<node>.
export const statusFileName = (mountpoint: string, prefix: string, instance: string, clone: string | undefined, node: string): string =>
  `${mountpoint === '/' ? '' : mountpoint}/${prefix}${instance.replace(/\//g, '_')}${clone ? `_${clone}` : ''}_${node}`;
