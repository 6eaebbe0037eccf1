// The `device` parameter in all the spellings upstream accepts, as one pure value.

// A device named by path (block device, bind source, host:/export, //server/share) or by a tag mount resolves.
export type DeviceSpec =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'tag'; readonly tag: 'UUID' | 'LABEL' | 'PARTUUID' | 'PARTLABEL'; readonly value: string };

const TAG_FORMS: ReadonlyArray<[RegExp, 'UUID' | 'LABEL' | 'PARTUUID' | 'PARTLABEL']> = [
  [/^-U\s*(.*)$/s, 'UUID'],
  [/^-L\s*(.*)$/s, 'LABEL'],
  [/^--uuid(?:=|\s+)(.*)$/s, 'UUID'],
  [/^--label(?:=|\s+)(.*)$/s, 'LABEL'],
  [/^UUID=(.*)$/s, 'UUID'],
  [/^LABEL=(.*)$/s, 'LABEL'],
  [/^PARTUUID=(.*)$/s, 'PARTUUID'],
  [/^PARTLABEL=(.*)$/s, 'PARTLABEL'],
];

// Parses `device`: -U x, -L x, --uuid=x, --label x, UUID=x, LABEL=x (quotes around x dropped), or a path.
// Anything else that starts with "-" is refused, so it can never be read as an option of mount(8).
export const parseDevice = (raw: string): DeviceSpec | { kind: 'invalid'; why: string } => {
  const s = raw.trim();
  if (s === '') return { kind: 'invalid', why: 'device is empty' };
  for (const [re, tag] of TAG_FORMS) {
    const m = re.exec(s);
    if (!m) continue;
    const value = (m[1] ?? '').trim().replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');
    if (value === '' || /[\0\n\r/]/.test(value) || value.startsWith('-')) {
      return { kind: 'invalid', why: `device ${tag} value is not usable` };
    }
    return { kind: 'tag', tag, value };
  }
  if (s.startsWith('-')) return { kind: 'invalid', why: 'device starts with "-" but is not a -U/-L/--uuid/--label form' };
  if (/[\0\n\r]/.test(s)) return { kind: 'invalid', why: 'device contains a line break' };
  return { kind: 'path', path: s };
};

// The source argument for mount(8)/fsck(8): the path, or TAG=value.
export const mountSource = (d: DeviceSpec): string => (d.kind === 'path' ? d.path : `${d.tag}=${d.value}`);

// Where udev links a tagged device (/dev/disk/by-uuid/... and friends).
export const udevLinkFor = (d: DeviceSpec): string | undefined => {
  if (d.kind !== 'tag') return undefined;
  const dir = { UUID: 'by-uuid', LABEL: 'by-label', PARTUUID: 'by-partuuid', PARTLABEL: 'by-partlabel' }[d.tag];
  // udev escapes "/" and spaces in labels as \x2f and \x20.
  const name = d.value.replace(/[^\w#+\-.:=@]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `/dev/disk/${dir}/${name}`;
};

// Whether the options string holds a mount option (comma-separated, as mount -o reads it).
export const hasOption = (options: string, name: string): boolean =>
  options.split(',').some((o) => o.trim() === name);

// The options for the read-only/options remount of a bind mount: what was asked, minus bind, plus remount,bind.
export const bindRemountOptions = (options: string): string | undefined => {
  const rest = options.split(',').map((o) => o.trim()).filter((o) => o !== '' && o !== 'bind' && o !== 'rbind');
  return rest.length === 0 ? undefined : ['remount', 'bind', ...rest].join(',');
};
