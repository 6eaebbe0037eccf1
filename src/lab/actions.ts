import { isFormed, monitor, startClusterStack } from './cluster';
import { findNode, type LabLayout, type LabNode } from './layout';
import { setCable } from './network';
import { killNode, nodeInitPid, startNodeInit } from './node';
import { waitFor } from './proc';
import { createProgress } from './progress';
import { currentLab } from './state';
import { liveNode } from './wait';

// Node-level fault injection: power off/on, cable cut/heal.

// Powers a crashed node back on and waits until the cluster sees it online again.
export const restartNode = async (layout: LabLayout, node: LabNode, timeoutMs = 90_000): Promise<number> => {
  const t0 = Date.now();
  if (nodeInitPid(node)) await killNode(node);
  await startNodeInit(node);
  startClusterStack(layout, node);
  await waitFor(`${node.name} to rejoin`, () => {
    const s = monitor(layout, node);
    return isFormed(s, layout.nodes.filter((n) => nodeInitPid(n)).map((n) => n.name)) ? true : undefined;
  }, timeoutMs, 250);
  return Date.now() - t0;
};

// `hakit lab crash|restart|cut|heal NODE`.
export const nodeAction = async (action: 'crash' | 'restart' | 'cut' | 'heal', name: string): Promise<void> => {
  const { layout } = currentLab();
  const node = findNode(layout, name);
  const p = createProgress();
  switch (action) {
    case 'crash':
      if (!(await killNode(node))) throw new Error(`${node.name} is already powered off`);
      p(`${node.name} powered off (all its processes killed)`);
      break;
    case 'restart': {
      const ms = await restartNode(layout, node);
      p(`${node.name} back online in ${(ms / 1000).toFixed(1)} s (seen by ${liveNode(layout, [node.name])?.name ?? node.name})`);
      break;
    }
    case 'cut':
      setCable(layout, node, false);
      p(`${node.name} cable unplugged at the switch`);
      break;
    case 'heal':
      setCable(layout, node, true);
      p(`${node.name} cable plugged back in`);
      break;
  }
};
