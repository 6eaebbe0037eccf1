import type { AgentSpec } from '../ocf/spec';

const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));

// `hakit meta AGENT --table`: parameters (name, type, required/unique, default, short description) and actions.
export const formatMetaTable = (spec: AgentSpec): string => {
  const params = Object.entries(spec.params);
  const nw = Math.max(9, ...params.map(([n]) => n.length));
  const lines = [`${spec.name} ${spec.version}: ${spec.shortdesc}`, '', `${'parameter'.padEnd(nw)}  type     flags  default              description`];
  for (const [name, d] of params) {
    const flags = `${d.required ? 'R' : '-'}${d.unique || d.uniqueGroup ? 'U' : '-'}${d.reloadable ? 'r' : '-'}${d.deprecated ? 'D' : '-'}`;
    const type = d.type === 'select' ? 'select' : d.type;
    lines.push(`${name.padEnd(nw)}  ${cell(type, 7)}  ${flags}   ${cell(d.metaDefault ?? '', 20)} ${d.shortdesc}${d.options ? ` [${d.options.join('|')}]` : ''}`);
  }
  lines.push('  flags: R required, U unique, r reloadable, D deprecated', '', 'action        timeout  interval  role        depth');
  for (const [name, a] of Object.entries(spec.actions)) {
    if (a.hidden) continue;
    for (const m of a.meta ?? [{}]) {
      lines.push(`${name.padEnd(12)}  ${`${m.timeout ?? a.timeout}s`.padEnd(7)}  ${(m.interval !== undefined ? `${m.interval}s` : '').padEnd(8)}  ${(m.role ?? '').padEnd(10)}  ${m.depth ?? ''}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
};
