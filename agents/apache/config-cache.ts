import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSettings } from './config-settings';
import type { ConfigSource } from './parse-config';

// A per-resource cache of the parsed configuration, so a recurring monitor does not re-read and re-parse ~40
// config files every 10 s. It is valid only while every file read, every directory listed and every path found
// missing is unchanged (inode, size, mtime, ctime), and for the same parameters and environment; anything else is
// a miss and a fresh parse. Failures to read or write it only cost the parse.

export interface Dep {
  p: string;
  k: 'f' | 'd' | 'n'; // file, directory, not there
  i?: number;
  s?: number;
  m?: number;
  c?: number;
}

export interface Parsed {
  vars: Record<string, string>;
  settings: ConfigSettings;
  problems: string[];
}

interface CacheFile extends Parsed {
  key: string;
  deps: Dep[];
}

const CACHE_VERSION = 1;

const depOf = (p: string): Dep => {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return { p, k: 'n' };
  return { p, k: st.isDirectory() ? 'd' : 'f', i: st.ino, s: st.isDirectory() ? 0 : st.size, m: st.mtimeMs, c: st.ctimeMs };
};

const same = (a: Dep, b: Dep) => a.k === b.k && a.i === b.i && a.s === b.s && a.m === b.m && a.c === b.c;

// Wraps a ConfigSource to record what the parse depended on.
export const trackingSource = (src: ConfigSource, deps: Map<string, Dep>): ConfigSource => {
  const note = (p: string) => { if (!deps.has(p)) deps.set(p, depOf(p)); };
  return {
    read: (p) => { note(p); return src.read(p); },
    kind: (p) => { note(p); return src.kind(p); },
    list: (d) => { note(d); return src.list(d); },
  };
};

// The environment that can change the result (all of it but the per-operation CRM_meta_* and check level).
const stableEnv = (env: NodeJS.ProcessEnv): string[] =>
  Object.keys(env).filter((k) => !k.startsWith('OCF_RESKEY_CRM_meta_') && !/^(OCF_RESKEY_)?OCF_CHECK_LEVEL$/.test(k)).sort()
    .map((k) => `${k}=${env[k]}`);

// FNV-1a, for the cache file name only (the full key is stored and compared).
const fnv = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

// The full cache key: format version, the given parts and the stable environment.
export const cacheKey = (parts: unknown[], env: NodeJS.ProcessEnv): string =>
  JSON.stringify([CACHE_VERSION, ...parts, stableEnv(env)]);

const prefixOf = (instance: string) => `hakit-apache-${instance.replace(/[^\w.-]/g, '_').slice(0, 64)}-`;
const cachePath = (dir: string, instance: string, key: string) => join(dir, `${prefixOf(instance)}${fnv(key)}.json`);

// The cached parse when still valid, else undefined.
export const loadCached = (dir: string, instance: string, key: string): Parsed | undefined => {
  try {
    const c = JSON.parse(readFileSync(cachePath(dir, instance, key), 'utf8')) as CacheFile;
    if (c.key !== key || !Array.isArray(c.deps)) return undefined;
    for (const d of c.deps) if (!same(d, depOf(d.p))) return undefined;
    return { vars: c.vars, settings: c.settings, problems: c.problems };
  } catch {
    return undefined;
  }
};

// Stores a parse (atomically, root-only readable); errors are ignored.
export const storeCached = (dir: string, instance: string, key: string, parsed: Parsed, deps: Map<string, Dep>): void => {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const file = cachePath(dir, instance, key);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, deps: [...deps.values()], ...parsed } satisfies CacheFile), { mode: 0o600 });
    renameSync(tmp, file);
    // one entry per resource: an older one (other parameters or environment) is dropped
    for (const f of readdirSync(dir)) {
      const ours = f.startsWith(prefixOf(instance)) && /^[0-9a-f]{8}\.json$/.test(f.slice(prefixOf(instance).length));
      if (ours && join(dir, f) !== file) rmSync(join(dir, f), { force: true });
    }
  } catch {
    /* a cache we cannot write only costs the next parse */
  }
};
