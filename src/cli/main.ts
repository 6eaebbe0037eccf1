import { Command, CommanderError } from 'commander';
import { AGENTS, agentNames, toolNames } from '../../agents/index';
import { runAgent } from '../ocf/dispatch';
import { loadCommandGroups } from './commands/index';

declare const process: NodeJS.Process & { env: { HAKIT_VERSION?: string } };

// `hakit`: the command-line tool. Exit codes: 0 success, 1 a check failed, 2 usage error.
export const buildCli = async (): Promise<Command> => {
  const program = new Command('hakit')
    .description('hakit: Pacemaker OCF agents, cluster templates and a lab cluster')
    .version(process.env.HAKIT_VERSION ?? '0.0.0-dev')
    .exitOverride()
    .showHelpAfterError();

  program.command('agents').description('list the OCF agents this executable provides (ocf:hakit:<name>)')
    .action(() => { process.stdout.write(`${agentNames().join('\n')}\n`); });

  program.command('tools').description('list the other programs this executable can stand in for (dist/libexec/hakit)')
    .action(() => { const t = toolNames(); if (t.length) process.stdout.write(`${t.join('\n')}\n`); });

  program.command('run').description('run one action of an agent, as Pacemaker would (parameters from OCF_RESKEY_*)')
    .argument('<agent>', 'agent name, e.g. IPaddr2').argument('<action>', 'OCF action, e.g. monitor')
    .action(async (agent: string, action: string) => {
      const load = Object.prototype.hasOwnProperty.call(AGENTS, agent) ? AGENTS[agent] : undefined;
      if (!load) throw new CommanderError(2, 'hakit.unknownAgent', `unknown agent ${agent}; try: ${agentNames().join(', ')}`);
      process.exitCode = await runAgent(await load(), action, process.env);
    });

  for (const register of await loadCommandGroups()) register(program);
  return program;
};

export const runCli = async (argv: string[]): Promise<void> => {
  const program = await buildCli();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
      // commander prints its own errors; ours (codes outside "commander.") are printed here
      if (!e.code.startsWith('commander.')) process.stderr.write(`hakit: ${e.message.replace(/^error: /, '')}\n`);
      process.exit(e.exitCode === 1 ? 2 : e.exitCode);
    }
    process.stderr.write(`hakit: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
};
