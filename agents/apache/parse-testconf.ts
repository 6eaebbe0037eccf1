// The depth-10 test file of the upstream agent (README.webapps): blocks of
//   test <name> / url <u> / match <regex> / user <u> / password <p> / client <c> / client_opts <o> / end
// Pure; the first block is used when no name is asked for.

export interface WebTest {
  readonly name: string;
  readonly url: string;
  readonly match: string;
  readonly user: string;
  readonly password: string;
  readonly client: string; // accepted for compatibility; the request is made in-process
  readonly clientOpts: string;
}

export type TestConfResult = { ok: true; test: WebTest | undefined } | { ok: false; error: string };

const KEYS: Record<string, keyof WebTest> = {
  url: 'url', match: 'match', user: 'user', password: 'password', client: 'client', client_opts: 'clientOpts',
};

// Finds the block named `name` (or the first) and reads its keys; an unknown key is an error, as upstream.
export const parseTestConf = (text: string, name: string): TestConfResult => {
  let cur: Record<keyof WebTest, string> | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(lines[i] as string);
    if (!m) continue;
    const key = m[1] as string;
    const value = m[2] ?? '';
    if (!cur) {
      if (key === 'test' && (name === '' || name === value)) {
        cur = { name: value, url: '', match: '', user: '', password: '', client: '', clientOpts: '' };
      }
      continue;
    }
    if (key === 'end') return { ok: true, test: cur };
    if (key.startsWith('#')) continue;
    const k = Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : undefined;
    if (!k) return { ok: false, error: `line ${i + 1}: unknown keyword ${JSON.stringify(key.slice(0, 40))}` };
    cur[k] = value;
  }
  return { ok: true, test: cur };
};

// Upstream's is_testconf_sane: url and regex present, user and password both or neither.
export const testProblem = (t: { url: string; match: string; user: string; password: string }): string | undefined => {
  if (!t.url || !t.match) return 'test regular expression or test url empty';
  if ((t.user || t.password) && (!t.user || !t.password)) return 'bad user authentication for extended test';
  return undefined;
};
