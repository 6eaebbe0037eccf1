// ocf_hakit_<agent>(7): a man page made from the OCF meta-data an agent prints (parameters, actions, defaults,
// example crm shell configuration).
import { XMLParser } from 'fast-xml-parser';
import { bold, esc, header, italic, literal, paragraphs } from './roff.mjs';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['parameter', 'action', 'option', 'replaced-with', 'longdesc', 'shortdesc'].includes(name),
});

const text = (nodes) => {
  const list = Array.isArray(nodes) ? nodes : nodes === undefined ? [] : [nodes];
  const en = list.find((n) => typeof n === 'object' && (n.lang ?? 'en') === 'en') ?? list[0];
  if (en === undefined) return '';
  return typeof en === 'string' ? en : String(en['#text'] ?? '');
};

// Parses OCF meta-data XML into a plain description: {name, version, shortdesc, longdesc, params[], actions[]}.
export const parseMetadata = (xml) => {
  const ra = parser.parse(xml)['resource-agent'];
  if (!ra || !ra.name) throw new Error('not OCF meta-data: no <resource-agent name=...>');
  const params = (ra.parameters?.parameter ?? []).map((p) => ({
    name: p.name,
    required: p.required === '1',
    unique: p.unique === '1',
    uniqueGroup: p['unique-group'],
    reloadable: p.reloadable === '1',
    deprecated: p.deprecated !== undefined ? (p.deprecated['replaced-with'] ?? []).map((r) => r.name) : undefined,
    shortdesc: text(p.shortdesc),
    longdesc: text(p.longdesc),
    type: p.content?.type ?? 'string',
    default: p.content?.default,
    options: (p.content?.option ?? []).map((o) => o.value),
  }));
  const actions = (ra.actions?.action ?? []).map((a) => ({
    name: a.name, timeout: a.timeout, interval: a.interval, depth: a.depth, role: a.role, startDelay: a['start-delay'],
  }));
  return {
    name: ra.name, version: ra.version, ocfVersion: String(ra.version ?? ''), shortdesc: text(ra.shortdesc),
    longdesc: text(ra.longdesc), params, actions,
  };
};

// A value for a parameter in the example: the hand-picked one, the default, or a placeholder by type.
const exampleValue = (p, picked) => {
  if (picked !== undefined) return String(picked);
  if (p.default !== undefined && p.default !== '') return p.default;
  if (p.type === 'select' && p.options.length) return p.options[0];
  return { integer: '1', boolean: 'true' }[p.type] ?? `<${p.name}>`;
};

const quote = (v) => (/^[A-Za-z0-9_./:@%+=-]+$/.test(v) ? v : `"${v.replace(/(["\\])/g, '\\$1')}"`);

// The example as crm shell lines: a primitive with the required (and hand-picked) parameters, its operations,
// and for promotable agents a promotable clone (notify=true when the agent has a notify action).
export const crmExample = (meta, examples = {}) => {
  const picked = examples.params ?? {};
  const id = `p_${meta.name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const given = meta.params.filter((p) => !p.deprecated && (p.required || picked[p.name] !== undefined));
  const lines = [`primitive ${id} ocf:hakit:${meta.name}`];
  if (given.length) {
    lines.push('  params');
    for (const p of given) lines.push(`    ${p.name}=${quote(exampleValue(p, picked[p.name]))}`);
  }
  const ops = meta.actions.filter((a) => ['start', 'stop', 'monitor', 'promote', 'demote', 'notify'].includes(a.name));
  for (const a of ops) {
    if (a.name === 'monitor' && a.depth !== undefined && a.depth !== '0') continue;
    const attrs = [`timeout=${a.timeout}`, `interval=${a.interval ?? '0s'}`];
    if (a.role) attrs.push(`role=${a.role}`);
    lines.push(`  op ${a.name} ${attrs.join(' ')}`);
  }
  const out = lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l));
  if (meta.actions.some((a) => a.name === 'promote')) {
    const meta2 = ['promotable=true'];
    if (meta.actions.some((a) => a.name === 'notify')) meta2.push('notify=true');
    out.push(`clone ${id}_clone ${id} \\`, `  meta ${meta2.join(' ')}`);
  }
  return out;
};

const paramTerm = (p) => {
  const notes = [p.type === 'select' ? `one of ${p.options.join(', ')}` : p.type];
  if (p.required) notes.unshift('required');
  if (p.unique || p.uniqueGroup) notes.push(p.uniqueGroup && p.uniqueGroup !== p.name ? `unique in group ${p.uniqueGroup}` : 'unique');
  if (p.reloadable) notes.push('reloadable');
  if (p.deprecated) notes.push('deprecated');
  return `${bold(p.name)} (${esc(notes.join(', '))})`;
};

const paramBlock = (p) => {
  const out = ['.TP', paramTerm(p), esc(p.shortdesc.replace(/\s+/g, ' '))];
  if (p.longdesc && p.longdesc.trim() !== p.shortdesc.trim()) out.push(...paragraphs(p.longdesc, '.IP'));
  if (p.default !== undefined && p.default !== '') out.push('.IP', `Default: ${bold(p.default)}`);
  if (p.deprecated?.length) out.push('.IP', `Deprecated: use ${p.deprecated.map((n) => bold(n)).join(', ')} instead.`);
  return out;
};

const actionLine = (a) => {
  const attrs = [['timeout', a.timeout], ['interval', a.interval], ['depth', a.depth], ['role', a.role],
    ['start-delay', a.startDelay]].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return ['.IP \\(bu 2', `${bold(a.name)}${attrs.length ? ` ${esc(attrs.join(' '))}` : ''}`];
};

// The whole page (roff source) for one agent. `examples`: {params, upstream} from examples.json.
export const agentPage = (meta, { version, examples = {} }) => {
  const page = `ocf_hakit_${meta.name}`;
  const out = [...header(page.toUpperCase(), 7, `hakit ${version}`, 'OCF resource agents')];
  out.push('.SH NAME', `${esc(page)} \\- ${esc(meta.shortdesc.replace(/\s+/g, ' '))}`);
  const names = meta.actions.map((a) => a.name).filter((n, i, all) => all.indexOf(n) === i);
  out.push('.SH SYNOPSIS', `${bold(`/usr/lib/ocf/resource.d/hakit/${meta.name}`)} [${names.map((n) => esc(n)).join(' | ')}]`);
  out.push('.SH DESCRIPTION', ...paragraphs(meta.longdesc));
  out.push('.PP', `The agent is one name of the multi-call executable ${bold('/usr/lib/hakit/hakit')}; Pacemaker runs it as ` +
    `${bold(`ocf:hakit:${meta.name}`)} (agent version ${esc(meta.version ?? '')}). Instance parameters arrive in the ` +
    `environment as ${bold('OCF_RESKEY_')}${italic('name')}.`);
  out.push('.SH SUPPORTED PARAMETERS');
  if (meta.params.length) for (const p of meta.params) out.push(...paramBlock(p));
  else out.push('This agent takes no parameters.');
  out.push('.SH SUPPORTED ACTIONS', 'Default timeouts, intervals, depths and roles, as the meta\\-data advertises them:');
  for (const a of meta.actions) out.push(...actionLine(a));
  out.push('.SH EXAMPLE CRM SHELL', 'A minimal configuration (adapt the parameter values):',
    ...literal(crmExample(meta, examples)));
  out.push('.SH FILES', `${bold(`/usr/lib/ocf/resource.d/hakit/${meta.name}`)}, a symbolic link to ${bold('/usr/lib/hakit/hakit')}.`);
  const also = ['hakit(1)', 'crm(8)', 'pcs(8)', ...(examples.upstream ? [examples.upstream] : [])];
  out.push('.SH SEE ALSO', also.map((s) => { const m = /^(.*)\((\w+)\)$/.exec(s); return m ? `${bold(m[1])}(${m[2]})` : esc(s); }).join(', '));
  return `${out.join('\n')}\n`;
};
