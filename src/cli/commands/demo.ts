import type { Command } from 'commander';
import type { CommandRegistrar } from './index';

// `hakit demo`: the main job (docs/lab.md): a 2-node lab, the web stack, apache killed, a node crashed, timings.
export const registerDemo: CommandRegistrar = (program: Command) => {
  program.command('demo').description('bring up a 2-node lab with the web template, kill apache, crash the active node, show the page comes back with the data intact, print the timings, tear down (root)')
    .action(async () => {
      const { demo } = await import('../../lab/demo');
      try {
        process.exitCode = await demo();
      } catch (e) {
        process.stderr.write(`hakit demo: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    });
};
