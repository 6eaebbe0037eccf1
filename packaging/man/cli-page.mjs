// hakit(1): a man page made from the `--help` output of the CLI and of each of its commands (commander's format).
import { bold, esc, header, paragraphs } from './roff.mjs';

// Splits commander help text into {usage, description, sections: {Options: [{term, desc}], Commands: [...], ...}}.
export const parseHelp = (helpText) => {
  const lines = helpText.replace(/\r/g, '').split('\n');
  const out = { usage: '', description: '', sections: {} };
  const desc = [];
  let current = null;
  for (const line of lines) {
    const usage = /^Usage: (.*)$/.exec(line);
    const heading = /^([A-Z][A-Za-z ]*):$/.exec(line);
    if (usage) { out.usage = usage[1].trim(); continue; }
    if (heading) { current = out.sections[heading[1]] = []; continue; }
    if (!current) { desc.push(line); continue; }
    const item = /^ {2}(\S.*?)(?: {2,}(\S.*))?$/.exec(line);
    const cont = /^ {4,}(\S.*)$/.exec(line);
    if (item && !/^ {3}/.test(line)) current.push({ term: item[1].trim(), desc: item[2] ?? '' });
    else if (cont && current.length) {
      const last = current[current.length - 1];
      last.desc = last.desc ? `${last.desc} ${cont[1]}` : cont[1];
    }
  }
  out.description = desc.join('\n').trim();
  return out;
};

// Walks every command below the program: `help(argv)` returns the --help text for that command path.
// Returns [{path: ['template', 'render'], help: parsed}], the program itself first (path []).
export const collectHelp = async (help, path = [], seen = new Set()) => {
  const parsed = parseHelp(await help([...path, '--help']));
  const out = [{ path, help: parsed }];
  for (const c of parsed.sections.Commands ?? []) {
    const name = c.term.split(/[\s|]/)[0];
    if (name === 'help' || seen.has([...path, name].join(' '))) continue;
    seen.add([...path, name].join(' '));
    out.push(...(await collectHelp(help, [...path, name], seen)));
  }
  return out;
};

const items = (list, skipHelp) =>
  list.filter((i) => !(skipHelp && /(^|, )--help$/.test(i.term))).flatMap((i) => ['.TP', bold(i.term), esc(i.desc)]);

// The page (roff source). `agents`: names for SEE ALSO ocf_hakit_<agent>(7).
export const cliPage = (commands, { version, agents }) => {
  const [top, ...subs] = commands;
  const out = [...header('HAKIT', 1, `hakit ${version}`, 'hakit manual')];
  const summary = top.help.description.split('\n')[0].replace(/^hakit:\s*/, '');
  out.push('.SH NAME', `hakit \\- ${esc(summary)}`);
  out.push('.SH SYNOPSIS', `${bold('hakit')} ${esc(top.help.usage.replace(/^hakit\s*/, ''))}`);
  for (const c of subs) out.push('.br', `${bold(`hakit ${c.path.join(' ')}`)} ${esc(c.help.usage.replace(/^hakit\s+/, '').replace(c.path.join(' '), '').trim())}`);
  out.push('.SH DESCRIPTION', ...paragraphs(top.help.description));
  out.push('.PP', `${bold('/usr/lib/hakit/hakit')} is one executable with several names: called as ${bold('hakit')} it is ` +
    'this command\\-line tool; called through a link named after an agent (the links in ' +
    `${bold('/usr/lib/ocf/resource.d/hakit/')}) it is that OCF resource agent.`);
  if (top.help.sections.Options?.length) out.push('.SH OPTIONS', ...items(top.help.sections.Options, false));
  out.push('.SH COMMANDS');
  for (const c of subs) {
    out.push(`.SS "hakit ${esc(c.help.usage.replace(/^hakit\s+/, '')).replace(/"/g, '\\(dq')}"`);
    if (c.help.description) out.push(...paragraphs(c.help.description, '.PP'));
    for (const [name, list] of Object.entries(c.help.sections)) {
      const shown = list.filter((i) => !/(^|, )--help$/.test(i.term));
      if (!shown.length) continue;
      out.push('.PP', `${esc(name)}:`, '.RS 4', ...items(shown, true), '.RE');
    }
  }
  out.push('.SH EXIT STATUS', '0 on success, 1 when a check or an action failed, 2 on a usage error.');
  out.push('.SH FILES', '.TP', bold('/usr/lib/hakit/hakit'), 'the multi\\-call executable (Node.js single executable application).',
    '.TP', bold('/usr/lib/ocf/resource.d/hakit/'), 'the OCF resource agents (provider hakit), links to the executable.',
    '.TP', bold('/usr/share/hakit/'), 'templates and other data files.');
  const also = [...agents.map((a) => `ocf_hakit_${a}(7)`), 'crm(8)', 'pcs(8)'];
  out.push('.SH SEE ALSO', also.map((s) => { const m = /^(.*)\((\w+)\)$/.exec(s); return `${bold(m[1])}(${m[2]})`; }).join(', '));
  return `${out.join('\n')}\n`;
};
