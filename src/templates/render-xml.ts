import { XMLBuilder } from 'fast-xml-parser';
import type { ClusterConfig, Op, Pairs, Primitive } from './model';

// CIB XML (the <configuration> section, Pacemaker schema pacemaker-3.x), built and escaped by fast-xml-parser;
// ids follow crmsh's scheme so the forms compare equal after loading.

type Node = Record<string, unknown>;

const nvset = (tag: string, id: string, ps: Pairs): Node => ({
  [tag]: { '@_id': id, nvpair: ps.map(([name, value]) => ({ '@_id': `${id}-${name}`, '@_name': name, '@_value': value })) },
});

const opNode = (rid: string, o: Op): Node => ({
  '@_id': `${rid}-${o.name}-${o.interval}s${o.role ? `-${o.role}` : ''}`,
  '@_name': o.name,
  '@_interval': `${o.interval}s`,
  '@_timeout': `${o.timeout}s`,
  ...(o.role ? { '@_role': o.role } : {}),
});

const primitiveNode = (p: Primitive): Node => ({
  '@_id': p.id,
  '@_class': p.agent.cls,
  ...(p.agent.provider ? { '@_provider': p.agent.provider } : {}),
  '@_type': p.agent.type,
  ...(p.params.length ? nvset('instance_attributes', `${p.id}-instance_attributes`, p.params) : {}),
  ...(p.meta?.length ? nvset('meta_attributes', `${p.id}-meta_attributes`, p.meta) : {}),
  operations: { op: p.ops.map((o) => opNode(p.id, o)) },
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
  suppressBooleanAttributes: false,
});

// The <configuration> element (load with `cibadmin --replace --scope configuration --xml-file FILE`).
export const configurationNode = (c: ClusterConfig): Node => {
  const prims = new Map(c.primitives.map((p) => [p.id, p]));
  const grouped = new Set(c.groups.flatMap((g) => g.members));
  const cloned = new Set(c.clones.map((cl) => cl.child));
  const groupNode = (id: string): Node => {
    const g = c.groups.find((x) => x.id === id)!;
    return { '@_id': g.id, primitive: g.members.map((m) => primitiveNode(prims.get(m)!)) };
  };
  const cloneNode = (cl: ClusterConfig['clones'][number]): Node => {
    const meta: Pairs = cl.promotable ? [['promotable', 'true'], ...cl.meta] : cl.meta;
    const child = prims.has(cl.child) ? { primitive: primitiveNode(prims.get(cl.child)!) } : { group: groupNode(cl.child) };
    return { '@_id': cl.id, ...nvset('meta_attributes', `${cl.id}-meta_attributes`, meta), ...child };
  };
  return {
    crm_config: nvset('cluster_property_set', 'cib-bootstrap-options', c.properties),
    nodes: { node: c.nodes.map((n) => ({ '@_id': n, '@_uname': n })) },
    resources: {
      primitive: c.primitives.filter((p) => !grouped.has(p.id) && !cloned.has(p.id)).map(primitiveNode),
      group: c.groups.filter((g) => !cloned.has(g.id)).map((g) => groupNode(g.id)),
      clone: c.clones.map(cloneNode),
    },
    constraints: {
      rsc_location: c.locations.map((l) => ({ '@_id': l.id, '@_rsc': l.rsc, '@_node': l.node, '@_score': l.score })),
      rsc_colocation: c.colocations.map((co) => ({
        '@_id': co.id, '@_score': 'INFINITY', '@_rsc': co.rsc, '@_with-rsc': co.withRsc,
        ...(co.withRole ? { '@_with-rsc-role': co.withRole } : {}),
      })),
      rsc_order: c.orders.map((o) => ({
        '@_id': o.id, '@_kind': 'Mandatory', '@_first': o.first, '@_first-action': o.firstAction, '@_then': o.then,
        '@_then-action': o.thenAction,
      })),
    },
    rsc_defaults: { meta_attributes: { '@_id': 'rsc-options', nvpair: c.rscDefaults.map(([name, value]) => ({ '@_id': `rsc-options-${name}`, '@_name': name, '@_value': value })) } },
  };
};

// The configuration as CIB XML text.
export const renderXml = (c: ClusterConfig): string =>
  `${builder.build({ configuration: configurationNode(c) }) as string}`;
