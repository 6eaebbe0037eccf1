import type { TemplateDef } from './template';

// `hakit template show`: the template's purpose, its values with defaults, and its example sets.
export const formatShow = (t: TemplateDef): string => {
  const w = Math.max(...t.values.map((v) => v.key.length));
  const lines = [`${t.name}: ${t.summary}`, '', t.description, '', 'values (--set key=value):'];
  for (const v of t.values) {
    const dflt = v.default === '' ? '(unset)' : v.default;
    const opts = v.options ? ` [${v.options.join('|')}]` : '';
    lines.push(`  ${v.key.padEnd(w)}  ${v.description}${opts}; default ${dflt}`);
  }
  lines.push('', 'example sets:');
  for (const [name, set] of Object.entries(t.examples)) {
    const args = Object.entries(set).map(([k, v]) => `--set ${k}=${v}`).join(' ');
    lines.push(`  ${name}: ${args || '(defaults)'}`);
  }
  lines.push('', 'formats: crm, crm-ms, pcs, xml, drbd');
  return `${lines.join('\n')}\n`;
};
