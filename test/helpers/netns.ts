import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

// A test network: namespace `ns` (the node under test) linked by a veth pair to namespace `peer`.
// Addresses live only inside these namespaces; nothing is routed anywhere else.
export interface TestNet {
  ns: string;
  peer: string;
  dev: string; // the node's interface
  peerDev: string;
  sh(ns: string, ...args: string[]): string; // runs a command inside a namespace (argument array)
  destroy(): void;
}

const run = (args: string[]) => execFileSync(args[0] as string, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// Creates the pair of namespaces; `tag` keeps names unique and short (interface names ≤ 15 characters).
export const createTestNet = (tag: string): TestNet => {
  const id = randomBytes(2).toString('hex');
  const ns = `hk-${tag}-${id}`;
  const peer = `hk-${tag}-${id}p`;
  const dev = `${tag}${id}a`;
  const peerDev = `${tag}${id}b`;
  run(['ip', 'netns', 'add', ns]);
  run(['ip', 'netns', 'add', peer]);
  run(['ip', 'link', 'add', dev, 'type', 'veth', 'peer', 'name', peerDev]);
  run(['ip', 'link', 'set', dev, 'netns', ns]);
  run(['ip', 'link', 'set', peerDev, 'netns', peer]);
  for (const [n, d] of [[ns, dev], [peer, peerDev]] as const) {
    run(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
    run(['ip', '-n', n, 'link', 'set', d, 'up']);
  }
  return {
    ns, peer, dev, peerDev,
    sh: (n, ...args) => run(['ip', 'netns', 'exec', n, ...args]),
    destroy: () => {
      for (const n of [ns, peer]) spawnSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
        .forEach((pid) => { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } });
      spawnSync('ip', ['netns', 'del', ns]);
      spawnSync('ip', ['netns', 'del', peer]);
    },
  };
};
