import type { CommandRegistrar } from './index';

// `hakit meta AGENT [--table]`: an agent's OCF meta-data (from its spec), or a readable table of it.
// Exit codes: 0 ok, 2 unknown agent.

// Registers `hakit meta`.
export const registerMeta: CommandRegistrar = (program) => {
  program.command('meta')
    .description('print an agent\'s OCF meta-data (XML), or a readable table with --table')
    .argument('<agent>', 'agent name (see hakit agents)')
    .option('--table', 'parameters and actions as a table')
    .action(async (agent: string, opts: { table?: boolean }) => {
      const { AGENTS, agentNames } = await import('../../../agents/index');
      const load = Object.prototype.hasOwnProperty.call(AGENTS, agent) ? AGENTS[agent] : undefined;
      if (!load) {
        process.stderr.write(`hakit: unknown agent ${JSON.stringify(agent)}; try: ${agentNames().join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      const spec = await load();
      if (!opts.table) {
        const { buildMetadata } = await import('../../ocf/metadata');
        process.stdout.write(`${buildMetadata(spec)}\n`);
        return;
      }
      const { formatMetaTable } = await import('../../templates/meta-table');
      process.stdout.write(formatMetaTable(spec));
    });
};
