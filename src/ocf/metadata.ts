import { XMLBuilder } from 'fast-xml-parser';
import type { ParamDefs } from './params';
import type { AgentSpec } from './spec';

const sec = (n: number) => `${n}s`;
const bit = (b: boolean) => (b ? '1' : '0');

// An element in fast-xml-parser's builder shape: attributes prefixed "@_", text in "#text".
type Node = Record<string, unknown>;

const desc = (text: string): Node => ({ '@_lang': 'en', '#text': text });

const paramNode = (name: string, def: ParamDefs[string]): Node => {
  const node: Node = { '@_name': name };
  // OCF 1.1-only attributes are written only when they say something, so that an agent that needs none of them
  // also passes the OCF 1.0 DTD (ra-api-1.dtd), which ocf-tester 4.12 and older tools still validate against.
  if (def.uniqueGroup !== undefined) node['@_unique-group'] = def.uniqueGroup;
  if (def.unique) node['@_unique'] = '1'; // deprecated in 1.1 in favour of unique-group, read by crmsh 4.x and pcs
  node['@_required'] = bit(def.required);
  if (def.reloadable) node['@_reloadable'] = '1';
  if (def.deprecated) {
    const dep: Node = {};
    if (def.deprecated.replacedWith?.length) dep['replaced-with'] = def.deprecated.replacedWith.map((n) => ({ '@_name': n }));
    if (def.deprecated.desc) dep.desc = desc(def.deprecated.desc);
    node.deprecated = dep;
  }
  node.longdesc = desc(def.longdesc);
  node.shortdesc = desc(def.shortdesc);
  const content: Node = { '@_type': def.type };
  if (def.metaDefault !== undefined) content['@_default'] = def.metaDefault;
  if (def.options) content.option = def.options.map((v) => ({ '@_value': v }));
  node.content = content;
  return node;
};

// The <action> entries: every declared action (hidden ones excepted), monitor once per role/depth entry,
// meta-data added when missing. Timeouts always carry their "s" unit.
const actionNodes = (spec: AgentSpec): Node[] => {
  const out: Node[] = [];
  const actions = { ...spec.actions };
  for (const [name, a] of Object.entries(actions)) {
    if (a.hidden) continue;
    for (const m of a.meta ?? [{}]) {
      const node: Node = { '@_name': name, '@_timeout': sec(m.timeout ?? a.timeout) };
      if (m.interval !== undefined) node['@_interval'] = sec(m.interval);
      if (m.startDelay !== undefined) node['@_start-delay'] = sec(m.startDelay);
      if (m.depth !== undefined) node['@_depth'] = String(m.depth);
      if (m.role !== undefined) node['@_role'] = m.role;
      out.push(node);
    }
  }
  if (!('meta-data' in actions)) out.push({ '@_name': 'meta-data', '@_timeout': '5s' });
  return out;
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false, // default="true" must stay an attribute with a value
  processEntities: true,
});

// The DOCTYPE names the OCF 1.0 DTD (ocf-tester validates against it); an internal subset declares the OCF 1.1
// attributes and action names this agent uses, which the 1.0 DTD does not know (internal declarations come first
// and win). Element structure (select options, <deprecated>) cannot be declared that way: agents that need
// those pass the 1.1 schemas only.
const doctype = (spec: AgentSpec): string => {
  const extra: string[] = [];
  const params = Object.values(spec.params);
  if (params.some((d) => d.reloadable)) extra.push('<!ATTLIST parameter reloadable (0|1) "0">');
  if (params.some((d) => d.uniqueGroup !== undefined)) extra.push('<!ATTLIST parameter unique-group CDATA #IMPLIED>');
  if (Object.keys(spec.actions).some((a) => !DTD_ACTIONS.has(a))) extra.push('<!ATTLIST action name CDATA #REQUIRED>');
  return `<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd"${extra.length ? ` [\n${extra.join('\n')}\n]` : ''}>`;
};

const DTD_ACTIONS = new Set(['start', 'stop', 'recover', 'monitor', 'restart', 'migrate_to', 'migrate_from', 'promote', 'demote',
  'notify', 'status', 'reload', 'meta-data', 'usage', 'methods', 'validate-all']);

// OCF 1.1 meta-data for an agent spec, built (and escaped) by fast-xml-parser; validates against the OCF 1.1
// RelaxNG schemas (official and pcs's) and, when the agent uses no 1.1-only construct, the OCF 1.0 DTD too.
export const buildMetadata = (spec: AgentSpec): string => {
  const doc = {
    'resource-agent': {
      '@_name': spec.name,
      '@_version': spec.version,
      version: '1.1',
      longdesc: desc(spec.longdesc),
      shortdesc: desc(spec.shortdesc),
      parameters: { parameter: Object.entries(spec.params).map(([n, d]) => paramNode(n, d)) },
      actions: { action: actionNodes(spec) },
    },
  };
  return `<?xml version="1.0"?>\n${doctype(spec)}\n${builder.build(doc) as string}`;
};
