import { posix } from 'node:path';

// Reads an httpd configuration the way httpd does, without running it: Include and IncludeOptional (files,
// wildcards, directories, paths relative to ServerRoot), ${VAR} from the environment, continuation lines.
// Pure: file access goes through a ConfigSource, so it is tested from recorded files in test/fixtures/apache.

export interface ConfigSource {
  read(path: string): string | undefined; // undefined when missing or unreadable
  kind(path: string): 'file' | 'dir' | undefined; // following symlinks
  list(dir: string): string[]; // entry names, unsorted
}

export interface ConfigLine {
  readonly file: string;
  readonly line: number;
  readonly directive: string; // as written (case kept)
  readonly args: string[]; // quotes removed, ${VAR} expanded
  readonly raw: string;
}

export interface FlatConfig {
  readonly lines: ConfigLine[];
  readonly problems: string[]; // missing Include targets, undefined variables, include loops
}

const MAX_DEPTH = 128; // httpd's own include nesting limit
const WILD = /[*?[]/;

// Splits directive arguments as httpd's ap_getword_conf does: whitespace, with "..." and '...' quoting.
export const splitArgs = (s: string): string[] => {
  const out: string[] = [];
  const n = s.length;
  const ws = (i: number) => { const c = s.charCodeAt(i); return c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12; };
  let i = 0;
  while (i < n) {
    while (i < n && ws(i)) i++;
    if (i >= n) break;
    const q = s[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      let w = '';
      while (j < n && s[j] !== q) {
        if (s[j] === '\\' && (s[j + 1] === q || s[j + 1] === '\\')) j++;
        w += s[j++];
      }
      out.push(w);
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !ws(j)) j++;
      out.push(s.slice(i, j));
      i = j;
    }
  }
  return out;
};

// ${VAR} as httpd expands it at read time (environment and Define); unknown names stay as written.
export const expandVars = (s: string, env: Record<string, string | undefined>, unknown: (n: string) => void): string =>
  s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => {
    const v = env[name];
    if (v === undefined) { unknown(name); return all; }
    return v;
  });

// fnmatch for one path component (*, ?, [...]); dotfiles are not matched by a leading wildcard, as in httpd.
const componentMatcher = (pat: string): RegExp => {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = pat.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else { re += `[${pat.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = j; }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
};

// Expands a path with wildcards in any component; sorted like httpd (strcmp order).
export const globPaths = (pattern: string, src: ConfigSource): string[] => {
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [pattern.startsWith('/') ? '/' : ''];
  for (const part of parts.slice(pattern.startsWith('/') ? 1 : 0)) {
    const next: string[] = [];
    for (const b of bases) {
      if (!WILD.test(part)) { next.push(posix.join(b, part)); continue; }
      if (src.kind(b || '.') !== 'dir') continue;
      const re = componentMatcher(part);
      for (const n of src.list(b || '.').sort()) if (!n.startsWith('.') && re.test(n)) next.push(posix.join(b, n));
    }
    bases = next;
  }
  return bases.filter((p) => src.kind(p) !== undefined).sort();
};

// All files below a directory, recursively, sorted per level (httpd includes a directory's files this way).
const filesBelow = (dir: string, src: ConfigSource, depth = 0): string[] => {
  if (depth > 16) return [];
  const out: string[] = [];
  for (const n of src.list(dir).sort()) {
    if (n.startsWith('.')) continue;
    const p = posix.join(dir, n);
    const k = src.kind(p);
    if (k === 'file') out.push(p);
    else if (k === 'dir') out.push(...filesBelow(p, src, depth + 1));
  }
  return out;
};

interface Walk {
  src: ConfigSource;
  env: Record<string, string | undefined>;
  serverRoot: string;
  lines: ConfigLine[];
  problems: string[];
  stack: string[];
}

const resolveInclude = (w: Walk, spec: string, optional: boolean, where: string): string[] => {
  const path = posix.isAbsolute(spec) ? spec : posix.join(w.serverRoot, spec);
  if (WILD.test(path)) {
    const found = globPaths(path, w.src).flatMap((p) => (w.src.kind(p) === 'dir' ? filesBelow(p, w.src) : [p]));
    if (!found.length && !optional && !WILD.test(posix.basename(path))) w.problems.push(`${where}: Include ${spec} matches nothing`);
    return found;
  }
  const k = w.src.kind(path);
  if (k === 'dir') return filesBelow(path, w.src);
  if (k === 'file') return [path];
  if (!optional) w.problems.push(`${where}: Include ${spec}: no such file or directory`);
  return [];
};

const walkFile = (w: Walk, file: string): void => {
  if (w.stack.length >= MAX_DEPTH || w.stack.includes(file)) {
    w.problems.push(`include loop or nesting too deep at ${file}`);
    return;
  }
  const text = w.src.read(file);
  if (text === undefined) { w.problems.push(`cannot read ${file}`); return; }
  w.stack.push(file);
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    let raw = physical[i] as string;
    while (/\\$/.test(raw) && i + 1 < physical.length) raw = raw.slice(0, -1) + ' ' + (physical[++i] as string).trimStart();
    const t = raw.trim();
    if (t === '' || t.charCodeAt(0) === 35 /* # */) continue;
    const expanded = t.includes('${') ? expandVars(t, w.env, (n) => w.problems.push(`${file}:${start}: variable ${n} is not defined`)) : t;
    const m = /^(\S+)\s*(.*)$/s.exec(expanded);
    if (!m) continue;
    const directive = m[1] as string;
    const args = splitArgs(m[2] as string);
    const lower = directive.toLowerCase();
    if ((lower === 'include' || lower === 'includeoptional') && args[0] !== undefined) {
      for (const f of resolveInclude(w, args[0], lower === 'includeoptional', `${file}:${start}`)) walkFile(w, f);
      continue;
    }
    if (lower === 'serverroot' && args[0] !== undefined) w.serverRoot = args[0].replace(/\/+$/, '') || '/';
    w.lines.push({ file, line: start, directive, args, raw: t });
  }
  w.stack.pop();
};

// Flattens a configuration: every directive line in the order httpd reads it, includes expanded in place.
export const flattenConfig = (
  configfile: string,
  opts: { src: ConfigSource; env: Record<string, string | undefined>; defaultServerRoot: string },
): FlatConfig => {
  const w: Walk = { src: opts.src, env: opts.env, serverRoot: opts.defaultServerRoot, lines: [], problems: [], stack: [] };
  walkFile(w, configfile);
  return { lines: w.lines, problems: w.problems };
};
