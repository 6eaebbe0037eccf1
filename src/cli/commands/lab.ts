import { CommanderError, type Command } from 'commander';
import type { CommandRegistrar } from './index';

// `hakit lab ...`: a real Pacemaker + corosync cluster in network namespaces on this machine (docs/lab.md).

const collect = (v: string, acc: string[]): string[] => [...acc, v];

const parseSets = (sets: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const i = s.indexOf('=');
    if (i < 1) throw new CommanderError(2, 'hakit.usage', `--set expects KEY=VALUE, got ${JSON.stringify(s)}`);
    out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
};

const provider = (v: string): 'hakit' | 'heartbeat' => {
  if (v !== 'hakit' && v !== 'heartbeat') throw new CommanderError(2, 'hakit.usage', '--provider must be hakit or heartbeat');
  return v;
};

const fail = (e: unknown): never => {
  if (e instanceof CommanderError) {
    process.stderr.write(`hakit lab: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`hakit lab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
};

// Registers `hakit lab` and its subcommands.
export const registerLab: CommandRegistrar = (program: Command) => {
  const lab = program.command('lab').description('a real Pacemaker cluster in network namespaces on this machine (root)');

  lab.command('up').description('bring a 2- or 3-node lab up with a template loaded; waits until the stack is started')
    .option('--nodes <n>', 'number of nodes (2 or 3)', '2')
    .option('--template <name>', 'template: web (from hakit template), ip-apache, stateful, dummy', 'web')
    .option('--set <key=value>', 'template parameter (repeatable)', collect, [])
    .option('--provider <p>', 'agents: hakit (this build) or heartbeat (the upstream ones)', 'hakit')
    .option('-q, --quiet', 'no progress lines')
    .action(async (o: { nodes: string; template: string; set: string[]; provider: string; quiet?: boolean }) => {
      const [{ up }, { createProgress }] = await Promise.all([import('../../lab/up'), import('../../lab/progress')]);
      let sets: Record<string, string> = {};
      let pv: 'hakit' | 'heartbeat' = 'hakit';
      try {
        sets = parseSets(o.set);
        pv = provider(o.provider);
      } catch (e) { fail(e); }
      const r = await up({ nodes: Number(o.nodes), template: o.template, sets, provider: pv, progress: createProgress(!!o.quiet) }).catch(fail);
      process.stdout.write(`lab up: formed in ${((r.state.formedMs ?? 0) / 1000).toFixed(1)} s, stack started in ${((r.state.stackStartedMs ?? 0) / 1000).toFixed(1)} s\n`);
    });

  lab.command('down').description('tear the lab down and check that nothing is left (processes, namespaces, links, mounts, loop devices, files)')
    .action(async () => {
      const [{ down }, { createProgress }] = await Promise.all([import('../../lab/down'), import('../../lab/progress')]);
      const checks = await down({ progress: createProgress() }).catch(fail);
      for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'LEFT'} ${c.what}: ${c.detail}\n`);
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });

  lab.command('status').description('nodes and resources as tables').option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const [{ currentLab }, { labStatus, formatStatus }] = await Promise.all([import('../../lab/state'), import('../../lab/status')]);
      try {
        const { layout, state } = currentLab();
        const st = labStatus(layout);
        process.stdout.write(o.json ? `${JSON.stringify({ state, ...st }, null, 2)}\n` : `${formatStatus(st, state)}\n`);
      } catch (e) { fail(e); }
    });

  lab.command('exec').description('run a command inside a node (its namespaces); exit code passed through')
    .argument('<node>', 'node1, node2, ... (or 1, 2, ...)').argument('<cmd...>', 'command and arguments (after --)')
    .action(async (name: string, cmd: string[]) => {
      const { execInNode } = await import('../../lab/exec');
      try {
        process.exitCode = execInNode(name, cmd);
      } catch (e) { fail(e); }
    });

  for (const [name, desc] of [
    ['crash', 'power a node off at once (SIGKILL of its init: every process of the node dies)'],
    ['restart', 'power a node on again (fresh /run), start corosync and pacemaker; waits until it is online'],
    ['cut', 'unplug a node\'s cable at the switch (cluster and replication traffic)'],
    ['heal', 'plug a node\'s cable back in'],
  ] as const) {
    lab.command(name).description(desc).argument('<node>', 'node1, node2, ... (or 1, 2, ...)')
      .action(async (n: string) => {
        const { nodeAction } = await import('../../lab/actions');
        await nodeAction(name, n).catch(fail);
      });
  }

  lab.command('failover').description('inject a failure, measure the failover timeline, check the data (report as text + SVG)')
    .requiredOption('--scenario <s>', 'apache-kill | node-crash | link-cut | move')
    .option('--repeat <n>', 'repetitions', '1')
    .option('--report <file>', 'write the report (text to FILE, the chart to FILE.svg, raw data to FILE.json)')
    .option('--provider <p>', 'hakit | heartbeat (swap the agents in the running lab first) | both (alternate, ABBA)')
    .option('--compare-drbd <v>', 'stateful: alternate (ABBA) the stack with DRBD and with ocf:pacemaker:Stateful on local disks in its place')
    .action(async (o: { scenario: string; repeat: string; report?: string; provider?: string; compareDrbd?: string }) => {
      const { failoverCommand } = await import('../../lab/failover-cli');
      await failoverCommand(o.scenario, Number(o.repeat), o.report, o.provider, o.compareDrbd).catch(fail);
    });

  lab.command('_poll', { hidden: true }).description('HTTP poller (run by the lab inside the switch namespace)')
    .argument('<url>').option('--every <ms>', 'interval', '100').option('--timeout <ms>', 'per request', '400')
    .option('--count <n>', 'stop after n requests')
    .action(async (url: string, o: { every: string; timeout: string; count?: string }) => {
      const { pollForever } = await import('../../lab/poller');
      await pollForever(url, Number(o.every), Number(o.timeout), o.count ? Number(o.count) : Infinity);
    });
};
