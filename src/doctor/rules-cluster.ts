import type { Cib } from './cib';
import type { Finding } from './finding';
import { drbdClones } from './rules-drbd';

// Cluster-wide rules: fencing with shared data, options Pacemaker no longer knows, and failure handling that keeps
// resources from failing back.

const FALSE = new Set(['false', 'no', '0', 'off', 'n']);
const SHARED_FS = new Set(['Filesystem', 'iSCSILogicalUnit', 'LVM-activate', 'LVM']);

const propLine = (cib: Cib, name: string) => cib.propertyLines.get(name) ?? 0;

// Fencing disabled while the cluster holds shared data.
export const checkStonith = (cib: Cib): Finding[] => {
  const v = cib.properties.get('stonith-enabled');
  if (v === undefined || !FALSE.has(v.toLowerCase())) return [];
  const shared = drbdClones(cib).length > 0 || cib.primitives.some((p) => SHARED_FS.has(p.type));
  if (!shared) return [];
  return [{ rule: 'stonith-disabled', severity: 'error', element: 'nvpair stonith-enabled', line: propLine(cib, 'stonith-enabled'),
    message: 'fencing is disabled on a cluster with shared data (DRBD/filesystems): after a split both nodes can go Primary and write, and DRBD\'s resource-and-stonith fencing has nothing to call',
    fix: 'configure a fence device per node (e.g. stonith:fence_ipmilan) and set stonith-enabled=true' }];
};

// Cluster options Pacemaker 2.x dropped: they fail schema validation (crmsh refuses to commit) or are ignored.
const LEGACY: Record<string, string> = {
  'default-action-timeout': 'set timeouts per operation (op start timeout=…) or in op_defaults (op_defaults timeout=…)',
  'default-resource-stickiness': 'use rsc_defaults resource-stickiness=…',
  'default-resource-failure-stickiness': 'use rsc_defaults migration-threshold=… and failure-timeout=…',
  'is-managed-default': 'use rsc_defaults is-managed=…',
};

// Cluster options Pacemaker 2.x no longer has (default-action-timeout and friends).
export const checkLegacyOptions = (cib: Cib): Finding[] =>
  [...cib.properties.keys()].filter((k) => k in LEGACY).map((k) => ({
    rule: k === 'default-action-timeout' ? 'default-action-timeout' : 'legacy-option',
    severity: 'error' as const,
    element: `nvpair ${k}`,
    line: propLine(cib, k),
    message: `${k} is not a cluster option of Pacemaker 2.x: the CIB fails schema validation (crmsh refuses to commit it) and the value would not apply anyway`,
    fix: `remove ${k}; ${LEGACY[k]}`,
  }));

const isInfinity = (v: string | undefined) => v !== undefined && /^\+?(INFINITY|inf)$/i.test(v.trim());

// Stickiness/migration-threshold combinations that stop a resource from ever going back (per resource or default).
export const checkFailback = (cib: Cib): Finding[] => {
  const out: Finding[] = [];
  const scopes: { name: string; meta: ReadonlyMap<string, string>; line: number }[] = [
    { name: 'rsc_defaults', meta: cib.rscDefaults, line: lineOfTag(cib.text, 'rsc_defaults') },
    ...cib.primitives.map((p) => ({ name: `primitive ${p.id}`, meta: p.meta, line: p.line })),
  ];
  for (const s of scopes) {
    const stick = s.meta.get('resource-stickiness');
    const mt = s.meta.get('migration-threshold');
    const ft = s.meta.get('failure-timeout') ?? cib.rscDefaults.get('failure-timeout');
    const mtN = mt === undefined ? undefined : isInfinity(mt) ? Infinity : Number(mt);
    if (isInfinity(stick)) {
      out.push({ rule: 'failback', severity: 'warning', element: s.name, line: s.line,
        message: `resource-stickiness=INFINITY: once moved, resources never go back (not even to a preferred node) and ${mtN !== undefined && mtN !== Infinity ? 'together with migration-threshold the cluster runs out of nodes after failures on both' : 'only a manual move relocates them'}`,
        fix: 'use a finite stickiness (e.g. resource-stickiness=100)' });
    }
    if (mtN !== undefined && Number.isFinite(mtN) && mtN > 0 && ft === undefined) {
      out.push({ rule: 'failback', severity: 'warning', element: s.name, line: s.line,
        message: `migration-threshold=${mt} without failure-timeout: after ${mt} failure(s) the node is banned for the resource until someone runs crm resource cleanup, so it can never fail back there`,
        fix: 'add failure-timeout (e.g. rsc_defaults failure-timeout=600s) or raise migration-threshold' });
    }
  }
  return out;
};

const lineOfTag = (text: string, tag: string): number => {
  const i = text.indexOf(`<${tag}`);
  return i < 0 ? 0 : text.slice(0, i).split('\n').length;
};
