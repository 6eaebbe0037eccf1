// Pure parser for /proc/<pid>/mountinfo (proc(5)); no I/O here, the caller reads the file.

// One line of mountinfo, its escaped fields decoded.
export interface MountEntry {
  readonly id: number;
  readonly parentId: number;
  readonly major: number;
  readonly minor: number;
  readonly root: string; // path of the mount's root inside its filesystem (differs from "/" for bind mounts)
  readonly mountPoint: string;
  readonly mountOptions: string;
  readonly optional: readonly string[]; // shared:N, master:N, propagate_from:N, unbindable
  readonly fstype: string;
  readonly source: string;
  readonly superOptions: string;
}

// Decodes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) on a latin1 string
// (one char per byte), then reads the bytes as UTF-8, so non-ASCII paths come out as JavaScript strings.
export const decodeMountField = (raw: string): string => {
  const bytes = raw.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8) & 0xff));
  return Buffer.from(bytes, 'latin1').toString('utf8');
};

// Parses one mountinfo line; undefined for a line that does not have the documented shape.
export const parseMountinfoLine = (line: string): MountEntry | undefined => {
  const f = line.split(' ');
  const sep = f.indexOf('-', 6);
  if (f.length < 10 || sep < 0 || f.length < sep + 3) return undefined;
  const [id, parentId, majmin, root, mountPoint, mountOptions] = f;
  const mm = /^(\d+):(\d+)$/.exec(majmin ?? '');
  if (!mm || !/^\d+$/.test(id ?? '') || !/^\d+$/.test(parentId ?? '')) return undefined;
  return {
    id: Number(id),
    parentId: Number(parentId),
    major: Number(mm[1]),
    minor: Number(mm[2]),
    root: decodeMountField(root ?? ''),
    mountPoint: decodeMountField(mountPoint ?? ''),
    mountOptions: mountOptions ?? '',
    optional: f.slice(6, sep),
    fstype: decodeMountField(f[sep + 1] ?? ''),
    source: decodeMountField(f[sep + 2] ?? ''),
    superOptions: f[sep + 3] ?? '',
  };
};

// Parses a whole mountinfo text (read as latin1); malformed lines are skipped.
export const parseMountinfo = (text: string): MountEntry[] => {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const e = parseMountinfoLine(line);
    if (e) out.push(e);
  }
  return out;
};

// The visible mount at a path: among the entries mounted there, the one nothing else is stacked on.
export const topMountAt = (entries: readonly MountEntry[], mountPoint: string): MountEntry | undefined => {
  const here = entries.filter((e) => e.mountPoint === mountPoint);
  return here.find((e) => !here.some((o) => o.parentId === e.id)) ?? here[here.length - 1];
};

// Whether `path` is `dir` itself or lies below it (plain string logic on canonical absolute paths).
export const isAtOrBelow = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

// Every mount below `dir` (not `dir` itself), deepest first: the order they must be unmounted in.
export const mountsBelow = (entries: readonly MountEntry[], dir: string): MountEntry[] =>
  orderDeepestFirst(entries.filter((e) => e.mountPoint !== dir && isAtOrBelow(e.mountPoint, dir)));

// Deepest path first; on one path, the later (stacked) mount first.
export const orderDeepestFirst = (list: readonly MountEntry[]): MountEntry[] => {
  const depth = (p: string) => p.split('/').length;
  return list
    .map((e, i) => ({ e, i }))
    .sort((a, b) => depth(b.e.mountPoint) - depth(a.e.mountPoint) || b.e.mountPoint.localeCompare(a.e.mountPoint) || b.i - a.i)
    .map((x) => x.e);
};

// The mount that holds `path` as the kernel resolves it: the visible mount with the longest matching mount point.
export const mountHolding = (entries: readonly MountEntry[], path: string): MountEntry | undefined => {
  let longest: string | undefined;
  for (const e of entries) {
    if (isAtOrBelow(path, e.mountPoint) && (longest === undefined || e.mountPoint.length > longest.length)) longest = e.mountPoint;
  }
  return longest === undefined ? undefined : topMountAt(entries, longest);
};
