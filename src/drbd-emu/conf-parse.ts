// A reader for the drbd.conf subset drbdadm's in-process fast path understands (DRBD 8.4 syntax): includes, global,
// common and resource sections, `on <host>` sections with device/disk/address/meta-disk, and the net, disk,
// options, handlers and startup option sections. Anything else throws Unsupported, so drbdadm falls back to the
// real drbdadm-84 (which then prints its own diagnostics).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class Unsupported extends Error {}

export interface Section { words: string[]; body?: Section[]; file: string; line: number }

interface Token { t: string; quoted: boolean; line: number }

const tokenize = (text: string, file: string): Token[] => {
  const toks: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '{' || c === '}' || c === ';') { toks.push({ t: c, quoted: false, line }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' || text[j] === '\n') throw new Unsupported(`${file}:${line}: escape or newline in a string`);
        v += text[j++];
      }
      if (j >= text.length) throw new Unsupported(`${file}:${line}: unterminated string`);
      toks.push({ t: v, quoted: true, line });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s{};"#]/.test(text[j]!)) j++;
    toks.push({ t: text.slice(i, j), quoted: false, line });
    i = j;
  }
  return toks;
};

// Statements: `w1 w2 ... ;` or `w1 w2 ... { statements }` (a section needs no `;` after its `}`).
const parseBlock = (toks: Token[], pos: { i: number }, file: string, nested: boolean): Section[] => {
  const out: Section[] = [];
  let words: string[] = [];
  let line = 0;
  while (pos.i < toks.length) {
    const tk = toks[pos.i++]!;
    if (tk.t === '}' && !tk.quoted) {
      if (!nested || words.length) throw new Unsupported(`${file}:${tk.line}: unexpected }`);
      return out;
    }
    if (tk.t === ';' && !tk.quoted) {
      if (!words.length) throw new Unsupported(`${file}:${tk.line}: empty statement`);
      out.push({ words, file, line }); words = [];
      continue;
    }
    if (tk.t === '{' && !tk.quoted) {
      if (!words.length) throw new Unsupported(`${file}:${tk.line}: section without a name`);
      out.push({ words, body: parseBlock(toks, pos, file, true), file, line }); words = [];
      continue;
    }
    if (!words.length) line = tk.line;
    words.push(tk.t);
  }
  if (nested || words.length) throw new Unsupported(`${file}: unexpected end of file`);
  return out;
};

// Files an include pattern names (a `*` or `?` only in the last path component), sorted as glob(3) sorts them.
const expandInclude = (pattern: string, from: string): string[] => {
  const p = pattern.startsWith('/') ? pattern : join(dirname(from), pattern);
  const dir = dirname(p);
  const base = basename(p);
  if (/[*?[]/.test(dir)) throw new Unsupported(`include pattern ${pattern}`);
  if (!/[*?[]/.test(base)) return [p];
  if (base.includes('[')) throw new Unsupported(`include pattern ${pattern}`);
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => re.test(n) && !(n.startsWith('.') && !base.startsWith('.'))).sort().map((n) => join(dir, n));
};

// The top-level statements of `file` with its includes expanded in place.
export const readConfig = (file: string, depth = 0): Section[] => {
  if (depth > 8) throw new Unsupported('includes nested too deep');
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { throw new Unsupported(`cannot read ${file}`); }
  const toks = tokenize(text, file);
  const out: Section[] = [];
  for (const s of parseBlock(toks, { i: 0 }, file, false)) {
    if (s.words[0] === 'include' && !s.body) {
      if (s.words.length !== 2) throw new Unsupported(`${file}:${s.line}: include`);
      for (const f of expandInclude(s.words[1]!, file)) out.push(...readConfig(f, depth + 1));
    } else out.push(s);
  }
  return out;
};
