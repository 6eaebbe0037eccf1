import { spawnSync } from 'node:child_process';
import { findNode } from './layout';
import { nodeArgv, nodeEnv, nodeInitPid } from './node';
import { currentLab } from './state';

// `hakit lab exec NODE -- CMD...`: runs a command inside a node with the terminal attached; returns its exit code.
export const execInNode = (name: string, cmd: readonly string[]): number => {
  const { layout } = currentLab();
  const node = findNode(layout, name);
  const pid = nodeInitPid(node);
  if (!pid) throw new Error(`${node.name} is powered off`);
  const [file, ...args] = nodeArgv(pid, cmd);
  const r = spawnSync(file!, args, { stdio: 'inherit', env: { ...process.env, ...nodeEnv(layout) } });
  return r.status ?? 1;
};
