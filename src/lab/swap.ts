import { monitor } from './cluster';
import { nodeRun } from './node';
import { waitFor } from './proc';
import type { Progress } from './progress';
import { writeState, type LabState, type Provider } from './state';
import type { LabLayout } from './layout';
import { liveNode, stackReady } from './wait';

// Swapping the agents of a running lab between hakit and the upstream ones (heartbeat, linbit for drbd), so both
// are measured on the same cluster: stop everything, rewrite the providers in the CIB, forget the histories, start.

const SWAPPABLE = ['IPaddr2', 'Filesystem', 'apache', 'drbd'];

// The resources section with every swappable primitive switched to `to`.
export const swapProviders = (xml: string, to: Provider): string =>
  xml.replace(/<primitive\b[^>]*>/g, (tag) => {
    const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? '';
    if (!/\bclass="ocf"/.test(tag) || !SWAPPABLE.includes(type)) return tag;
    const provider = to === 'hakit' ? 'hakit' : type === 'drbd' ? 'linbit' : 'heartbeat';
    return tag.replace(/\bprovider="[^"]*"/, `provider="${provider}"`);
  });

const must = (layout: LabLayout, argv: string[], input?: string): string => {
  const via = liveNode(layout)!;
  const r = nodeRun(layout, via, argv, { timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed on ${via.name}: ${r.stderr.trim()}`);
  return r.stdout;
};

// Clears a stop-all-resources left by an interrupted swap (the lab sets it only during a swap).
export const clearInterruptedSwap = (layout: LabLayout): void => {
  const via = liveNode(layout);
  if (!via) return;
  const q = nodeRun(layout, via, ['crm_attribute', '--type', 'crm_config', '--name', 'stop-all-resources', '--query', '--quiet']);
  if (q.code === 0 && q.stdout.trim() === 'true') must(layout, ['crm_attribute', '--type', 'crm_config', '--name', 'stop-all-resources', '--delete']);
};

// Stops every resource, replaces the resources section with what `rewrite` makes of it, forgets the histories
// and starts again; the one way the lab reconfigures a running stack (agent provider, DRBD variant).
export const replaceResources = async (layout: LabLayout, rewrite: (xml: string) => string): Promise<void> => {
  must(layout, ['crm_attribute', '--type', 'crm_config', '--name', 'stop-all-resources', '--update', 'true']);
  await waitFor('every resource to stop', () => {
    const s = monitor(layout, liveNode(layout)!);
    return s && s.resources.every((r) => !r.active) ? true : undefined;
  }, 180_000, 300);
  const next = rewrite(must(layout, ['cibadmin', '--query', '--scope', 'resources']));
  must(layout, ['cibadmin', '--replace', '--scope', 'resources', '--xml-pipe'], next);
  must(layout, ['crm_resource', '--cleanup']);
  must(layout, ['crm_attribute', '--type', 'crm_config', '--name', 'stop-all-resources', '--delete']);
};

// Switches the lab's agents to `to` (no-op when already there); waits until the stack runs again.
export const setProvider = async (layout: LabLayout, state: LabState, to: Provider, p: Progress): Promise<void> => {
  if (state.provider === to) return;
  p(`switching the agents from ${state.provider} to ${to}: stopping all resources`);
  await replaceResources(layout, (xml) => swapProviders(xml, to));
  state.provider = to;
  writeState(state, layout.dir);
  await stackReady(layout, undefined, 180_000);
  p(`agents now ${to}; stack started`);
};
