import { Option } from 'commander';
import type { CommandRegistrar } from './index';

// `hakit template list|show|render|verify|simulate`: the shipped crm configuration templates.
// Exit codes: 0 ok, 1 verification/simulation failed, 2 usage (unknown template, bad value, bad format).

const collect = (v: string, prev: string[]) => [...prev, v];

// A usage problem found by an action: printed here (runCli prints only its own errors), exit code 2.
class UsageError extends Error {}
const usageError = (msg: string) => new UsageError(msg);

// Wraps an action: a UsageError becomes `hakit: message` on stderr and exit code 2.
export const guarded = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => async (...a: A): Promise<void> => {
  try {
    await fn(...a);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`hakit: ${e.message}\n`);
    process.exitCode = 2;
  }
};

const load = async (name: string, sets: string[]) => {
  const t = await import('../../templates/index');
  const def = t.findTemplate(name);
  if (!def) throw usageError(`unknown template ${JSON.stringify(name)}; try: ${t.TEMPLATES.map((x) => x.name).join(', ')}`);
  try {
    return { def, rendered: t.instantiate(def, sets), t };
  } catch (e) {
    if (e instanceof t.TemplateValueError) throw usageError(`template ${name}: ${e.message}`);
    throw e;
  }
};

const setOption = () => new Option('-s, --set <key=value>', 'set a template value (repeatable)').argParser(collect).default([]);

// Registers `hakit template …`.
export const registerTemplate: CommandRegistrar = (program) => {
  const tpl = program.command('template').description('crm configuration templates: list, show, render, verify, simulate');

  tpl.command('list').description('list the templates').action(async () => {
    const { TEMPLATES } = await import('../../templates/index');
    const w = Math.max(...TEMPLATES.map((t) => t.name.length));
    process.stdout.write(TEMPLATES.map((t) => `${t.name.padEnd(w)}  ${t.summary}\n`).join(''));
  });

  tpl.command('show').description('describe a template and its values').argument('<name>', 'template name')
    .action(guarded(async (name: string) => {
      const { formatShow } = await import('../../templates/show');
      const { def } = await load(name, []);
      process.stdout.write(formatShow(def));
    }));

  tpl.command('render').description('render a template as crm (clone promotable), crm-ms (ms), pcs, xml or drbd')
    .argument('<name>', 'template name')
    .addOption(setOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['crm', 'crm-ms', 'pcs', 'xml', 'drbd']).default('crm'))
    .action(guarded(async (name: string, opts: { set: string[]; format: string }) => {
      const { rendered, t } = await load(name, opts.set);
      process.stdout.write(t.renderAs(rendered, opts.format as 'crm'));
    }));

  tpl.command('verify')
    .description('load the rendered template into a scratch CIB with crmsh (and pcs), then run crm_verify; no cluster needed')
    .argument('<name>', 'template name')
    .addOption(setOption())
    .option('-f, --format <forms>', 'forms to check, comma-separated: crm, crm-ms, pcs, xml, drbd (drbdadm as each node), or all', 'all')
    .option('--keep <dir>', 'write each form\'s scratch CIB to DIR/<form>.cib.xml')
    .option('--agents <dir>', 'use the agents in DIR as provider hakit (e.g. dist/resource.d/hakit; root: private mount namespace)')
    .action(guarded(async (name: string, opts: { set: string[]; format: string; keep?: string; agents?: string }) => {
      const all = ['crm', 'crm-ms', 'pcs', 'xml', 'drbd'] as const;
      const forms = opts.format === 'all' ? [...all] : opts.format.split(',').map((f) => f.trim());
      const badForm = forms.find((f) => !(all as readonly string[]).includes(f));
      if (badForm !== undefined) throw usageError(`unknown form ${JSON.stringify(badForm)}; use crm, crm-ms, pcs, xml, drbd or all`);
      const { rendered } = await load(name, opts.set);
      if (opts.agents) {
        const ns = await import('../../templates/agents-ns');
        if (!ns.inAgentsNamespace()) {
          process.exitCode = await ns.rerunWithAgents(opts.agents);
          return;
        }
        await ns.mountAgentsView();
      }
      const { verifyRendered } = await import('../../templates/verify');
      const results = await verifyRendered(rendered, forms as (typeof all)[number][], opts.keep);
      for (const r of results) {
        process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.form}: ${r.summary}\n`);
        for (const d of r.details) process.stdout.write(`     ${d}\n`);
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    }));

  // Internal: run inside `unshare --uts` by verify's drbd check (sets the host name there, runs drbdadm dump).
  tpl.command('drbdadm-as', { hidden: true }).argument('<node>').argument('<file>').argument('<resource>').argument('[version]')
    .action(async (node: string, file: string, res: string, version?: string) => {
      const [{ drbdadmAs }, { cliRunner }] = await Promise.all([import('../../templates/drbd-check'), import('../../templates/tools')]);
      process.exitCode = await drbdadmAs(cliRunner(60_000), node, file, res, version);
    });

  tpl.command('simulate')
    .description('crm_simulate the template: initial placement, then a node failure; where each resource ends up')
    .argument('<name>', 'template name')
    .addOption(setOption())
    .option('--fail <node>', 'node to fail (default: the node where the service starts)')
    .action(guarded(async (name: string, opts: { set: string[]; fail?: string }) => {
      const { rendered } = await load(name, opts.set);
      const { simulateFailover, formatSimulation } = await import('../../templates/simulate');
      const sim = await simulateFailover(rendered, opts.fail);
      process.stdout.write(formatSimulation(sim));
      if (!sim.ok) process.exitCode = 1;
    }));
};

