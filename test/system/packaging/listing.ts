import { must } from './chroot';

// The contents of the built packages, as comparable entries: "file <mode> <path> <size>", "link <path> -> <target>",
// "dir <path>". Documentation and packaging metadata (/usr/share/doc, licenses, lintian) are listed apart.

export interface Listing { payload: string[]; dirs: string[]; meta: string[] }

const META = /^\/usr\/share\/(doc|licenses|lintian)\//;

const entry = (mode: string, size: string, path: string, target: string | undefined): string =>
  mode.startsWith('l') ? `link ${path} -> ${target}` : mode.startsWith('d') ? `dir ${path.replace(/\/$/, '')}` : `file ${mode} ${path} ${size}`;

const split = (entries: string[]): Listing => {
  const out: Listing = { payload: [], dirs: [], meta: [] };
  for (const e of entries) {
    const path = e.split(' ')[e.startsWith('file ') ? 2 : 1] as string;
    if (e.startsWith('dir ')) out.dirs.push(path);
    else if (META.test(path)) out.meta.push(e);
    else out.payload.push(e);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
};

// `dpkg-deb -c`: "-rwxr-xr-x root/root 116861319 2026-11-21 19:49 ./usr/lib/hakit/hakit [-> target]".
export const debListing = (deb: string): Listing => split(must('dpkg-deb', ['-c', deb]).split('\n').filter(Boolean).map((line) => {
  const m = /^(\S+)\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\.(\/\S*?)(?: -> (.*))?$/.exec(line);
  if (!m) throw new Error(`dpkg-deb -c: unexpected line ${JSON.stringify(line)}`);
  return entry(m[1] as string, m[2] as string, m[3] as string, m[4]);
}));

// `rpm -qlvp`: "-rwxr-xr-x 1 root root 116861319 Nov 21 19:49 /usr/lib/hakit/hakit [-> target]".
export const rpmListing = (rpm: string): Listing => split(must('rpm', ['-qlvp', rpm]).split('\n').filter(Boolean).map((line) => {
  const m = /^(\S+)\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\d+\s+\S+\s+(\/\S*?)(?: -> (.*))?$/.exec(line);
  if (!m) throw new Error(`rpm -qlvp: unexpected line ${JSON.stringify(line)}`);
  return entry(m[1] as string, m[2] as string, m[3] as string, m[4]);
}));

// The first alternative of each package in a control field ("a (>= 1), b | c" -> [a, b]).
export const firstAlternatives = (field: string): string[] =>
  field.split(',').map((d) => (d.split('|')[0] ?? '').replace(/\(.*?\)/g, '').replace(/:any$/, '').trim()).filter(Boolean);
