import { basename } from 'node:path';
import { AGENTS, TOOLS } from '../agents/index';

// Multi-call entry: invoked through a symlink named after an agent (IPaddr2, Filesystem...), it is that agent and
// argv[2] is the action; invoked as `hakit`, it is the command-line tool.
const main = async () => {
  const invoked = basename(process.argv[1] ?? process.argv0);
  const load = Object.prototype.hasOwnProperty.call(AGENTS, invoked) ? AGENTS[invoked] : undefined;
  if (load) {
    const [{ runMain }, spec] = await Promise.all([import('./ocf/dispatch'), load()]);
    await runMain(spec, process.argv[2]);
  }
  const tool = Object.prototype.hasOwnProperty.call(TOOLS, invoked) ? TOOLS[invoked] : undefined;
  if (tool) process.exit(await (await tool())(process.argv.slice(2)));
  const { runCli } = await import('./cli/main');
  await runCli(process.argv);
};

void main();
