// Reads Debian-style envvars files (`export APACHE_PID_FILE=/var/run/apache2$SUFFIX/apache2.pid`) WITHOUT a shell:
// a tiny, side-effect-free subset of sh: assignments, export, unset, $VAR / ${VAR} / ${VAR:-w} / ${VAR##p} ...,
// quotes, and `if [ a = b ] / [ -n a ] ...; then ... else ... fi`. Command substitution is never run: an
// assignment that contains `$(` or a backtick is skipped (and reported), so a hostile file cannot execute anything.

export interface EnvvarsResult {
  readonly exported: Record<string, string>; // what httpd inherits (and what ${VAR} in the config sees)
  readonly skipped: string[]; // lines not understood or refused (for a debug log)
}

export type Vars = Map<string, { value: string; exported: boolean }>;

// Splits a line into statements at `;` outside quotes, dropping a trailing `# comment`.
const statements = (line: string): string[] => {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (q) {
      cur += c;
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < line.length) cur += line[++i];
    } else if (c === '"' || c === "'") { q = c; cur += c; }
    else if (c === '\\' && i + 1 < line.length) { cur += c + line[++i]; }
    else if (c === '#' && (cur === '' || /\s$/.test(cur))) break;
    else if (c === ';') { out.push(cur.trim()); cur = ''; }
    else cur += c;
  }
  out.push(cur.trim());
  return out.filter((s) => s !== '');
};

const globToRegex = (pat: string): string =>
  pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');

// ${NAME<op><word>}: the parameter expansions envvars files use.
const expandBrace = (body: string, vars: Vars, expandWord: (w: string) => string): string => {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+]|##|#|%%|%)(.*))?$/s.exec(body);
  if (!m) return '';
  const val = vars.get(m[1] as string)?.value;
  const op = m[2];
  const word = m[3] === undefined ? '' : expandWord(m[3]);
  switch (op) {
    case undefined: return val ?? '';
    case ':-': case ':=': return val ? val : word;
    case '-': case '=': return val ?? word;
    case ':+': return val ? word : '';
    case '+': return val === undefined ? '' : word;
    case '##': return (val ?? '').replace(new RegExp(`^${globToRegex(word)}`), '');
    case '#': return (val ?? '').replace(new RegExp(`^${globToRegex(word).replace(/\.\*/g, '.*?')}`), '');
    case '%%': {
      const s = val ?? '';
      for (let i = 0; i <= s.length; i++) if (new RegExp(`^${globToRegex(word)}$`, 's').test(s.slice(i))) return s.slice(0, i);
      return s;
    }
    case '%': {
      const s = val ?? '';
      for (let i = s.length; i >= 0; i--) if (new RegExp(`^${globToRegex(word)}$`, 's').test(s.slice(i))) return s.slice(0, i);
      return s;
    }
    default: return '';
  }
};

// Expands one shell word (quotes removed, variables substituted); undefined when it would need a command.
export const expandWord = (word: string, vars: Vars): string | undefined => {
  if (/\$\(|`/.test(word)) return undefined;
  let out = '';
  let i = 0;
  const sub = (w: string) => expandWord(w, vars) ?? '';
  const dollar = (): string => {
    // at word[i] === '$'
    const rest = word.slice(i + 1);
    if (rest.startsWith('{')) {
      let depth = 0;
      let j = i + 1;
      for (; j < word.length; j++) {
        if (word[j] === '{') depth++;
        else if (word[j] === '}' && --depth === 0) break;
      }
      const body = word.slice(i + 2, j);
      i = j + 1;
      return expandBrace(body, vars, sub);
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (m) { i += 1 + m[0].length; return vars.get(m[0])?.value ?? ''; }
    i += 1;
    return '$';
  };
  while (i < word.length) {
    const c = word[i] as string;
    if (c === "'") {
      const j = word.indexOf("'", i + 1);
      const end = j < 0 ? word.length : j;
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === '\\' && i + 1 < word.length && '$`"\\'.includes(word[i + 1] as string)) { out += word[i + 1]; i += 2; }
        else if (word[i] === '$') out += dollar();
        else out += word[i++];
      }
      i++;
    } else if (c === '\\' && i + 1 < word.length) { out += word[i + 1]; i += 2; }
    else if (c === '$') out += dollar();
    else { out += c; i++; }
  }
  return out;
};

// Splits a statement into shell words (quotes kept for expandWord).
const words = (s: string): string[] => {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  let brace = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (q) { cur += c; if (c === q) q = undefined; continue; }
    if (c === '"' || c === "'") { q = c; cur += c; continue; }
    if (c === '$' && s[i + 1] === '{') brace++;
    if (c === '}' && brace > 0) brace--;
    if (/\s/.test(c) && brace === 0) { if (cur) out.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
};

// `[ a = b ]`, `[ a != b ]`, `[ -n a ]`, `[ -z a ]` (also `test ...`); anything else is false.
const condition = (ws: string[], vars: Vars): boolean => {
  let w = ws;
  if (w[0] === '[' && w[w.length - 1] === ']') w = w.slice(1, -1);
  else if (w[0] === 'test') w = w.slice(1);
  else return false;
  let negate = false;
  if (w[0] === '!') { negate = true; w = w.slice(1); }
  const e = w.map((x) => expandWord(x, vars));
  if (e.some((x) => x === undefined)) return false;
  let r = false;
  if (e.length === 2 && e[0] === '-n') r = (e[1] as string) !== '';
  else if (e.length === 2 && e[0] === '-z') r = (e[1] as string) === '';
  else if (e.length === 3 && (e[1] === '=' || e[1] === '==')) r = e[0] === e[2];
  else if (e.length === 3 && e[1] === '!=') r = e[0] !== e[2];
  else if (e.length === 1) r = (e[0] as string) !== '';
  return negate ? !r : r;
};

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

// Evaluates envvars text on top of `base` (the inherited environment, all exported); returns the exported result.
export const parseEnvvars = (text: string, base: Record<string, string | undefined>): EnvvarsResult => {
  const vars: Vars = new Map();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) vars.set(k, { value: v, exported: true });
  const skipped: string[] = [];
  // Each frame: is this branch active, and has any branch of this if been taken.
  const stack: { active: boolean; taken: boolean; parentActive: boolean }[] = [];
  const active = () => stack.every((f) => f.active);
  const assign = (stmt: string, exportIt: boolean) => {
    const m = ASSIGN.exec(stmt);
    if (!m) return false;
    const value = expandWord(m[2] as string, vars);
    if (value === undefined) { skipped.push(stmt); return true; }
    const old = vars.get(m[1] as string);
    vars.set(m[1] as string, { value, exported: exportIt || (old?.exported ?? false) });
    return true;
  };
  const lines = text.replace(/\\\n/g, '').split('\n');
  for (const line of lines) {
    for (let stmt of statements(line)) {
      let ws = words(stmt);
      if (ws[0] === 'if' || ws[0] === 'elif') {
        if (ws[ws.length - 1] === 'then') ws = ws.slice(0, -1);
        if (ws[0] === 'if') {
          const parentActive = active();
          const c = parentActive && condition(ws.slice(1), vars);
          stack.push({ active: c, taken: c, parentActive });
        } else {
          const f = stack[stack.length - 1];
          if (f) {
            const c = !f.taken && f.parentActive && condition(ws.slice(1), vars);
            f.active = c;
            f.taken ||= c;
          }
        }
        continue;
      }
      if (ws[0] === 'then') { ws = ws.slice(1); stmt = stmt.replace(/^then\s*/, ''); if (!ws.length) continue; }
      if (ws[0] === 'else') {
        const f = stack[stack.length - 1];
        if (f) { f.active = !f.taken && f.parentActive; f.taken = true; }
        ws = ws.slice(1);
        stmt = stmt.replace(/^else\s*/, '');
        if (!ws.length) continue;
      }
      if (ws[0] === 'fi') { stack.pop(); continue; }
      if (!active()) continue;
      if (ws[0] === 'export') {
        for (const w of ws.slice(1)) {
          if (!assign(w, true)) {
            const old = vars.get(w);
            if (old) vars.set(w, { value: old.value, exported: true });
          }
        }
        continue;
      }
      if (ws[0] === 'unset') { for (const w of ws.slice(1)) vars.delete(w); continue; }
      if (ws.length === 1 && assign(ws[0] as string, false)) continue;
      skipped.push(stmt);
    }
  }
  const exported: Record<string, string> = {};
  for (const [k, v] of vars) if (v.exported) exported[k] = v.value;
  return { exported, skipped };
};
