import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isFormed, loadCrmConfig, monitor, seedCib, startClusterStack, writeSeedCib } from './cluster';
import { down } from './down';
import { labDir, labLayout, type LabLayout } from './layout';
import { createNodeNet, createSwitch, labNetns } from './network';
import { writeNodeFiles } from './node-files';
import { nodeRun, startNodeInit } from './node';
import { must, waitFor } from './proc';
import type { Progress } from './progress';
import { renderConfig } from './render';
import { attachLocalDisk, attachNodeDisk, initDrbd, writeDrbdConf } from './drbd-setup';
import { findNode } from './layout';
import { readState, writeState, type LabState, type Provider } from './state';
import { stackReady } from './wait';

// The page the web stack serves (written on the DRBD-backed filesystem at lab up).
export const LAB_PAGE = '<html><body><h1>hakit lab</h1><p>served over the floating IP from the DRBD-backed filesystem</p></body></html>\n';

export interface UpOptions {
  nodes: number;
  template: string;
  sets: Record<string, string>;
  provider: Provider;
  dist?: string; // the built dist/ (defaults: HAKIT_DIST, else the running executable's)
  progress: Progress;
}

// Fault injection for testing the clean-up of a failed `up`: HAKIT_LAB_FAIL_AT=network|nodes|formed.
const failAt = (step: string): void => {
  if (process.env.HAKIT_LAB_FAIL_AT === step) throw new Error(`failing on purpose after step "${step}" (HAKIT_LAB_FAIL_AT)`);
};

// The hakit executable to install into the nodes.
export const distBinary = (dist?: string): string => {
  const d = dist ?? process.env.HAKIT_DIST;
  if (d) return join(d, 'bin', 'hakit');
  return process.execPath;
};

// Copies the executable into the lab (a rebuild while the lab runs does not change it) with its tool names.
const installBinary = (layout: LabLayout, src: string): string => {
  const bin = join(layout.dir, 'bin', 'hakit');
  mkdirSync(dirname(bin), { recursive: true });
  copyFileSync(src, bin);
  must('chmod', ['755', bin]);
  const libexec = join(layout.dir, 'libexec', 'hakit');
  mkdirSync(libexec, { recursive: true });
  for (const t of must(bin, ['tools']).trim().split('\n').filter(Boolean)) symlinkSync(bin, join(libexec, t));
  return bin;
};

// Brings a lab up: network, nodes, corosync + pacemaker, the configuration; waits until the stack is started.
// On any failure it tears down what it made (down) and rethrows.
export const up = async (o: UpOptions): Promise<{ layout: LabLayout; state: LabState }> => {
  const dir = labDir();
  if (readState(dir) || labNetns().length) throw new Error(`a lab is already up (or left over): run hakit lab down first`);
  if (o.nodes < 2 || o.nodes > 3) throw new Error('--nodes must be 2 or 3');
  const layout = labLayout(o.nodes, dir);
  const state: LabState = {
    nodes: o.nodes, provider: o.provider, template: o.template, sets: o.sets, createdAt: new Date().toISOString(),
    netnsDirExisted: existsSync('/run/netns'), loopDevices: [],
  };
  mkdirSync(dir, { recursive: true });
  writeState(state, dir);
  const p = o.progress;
  try {
    const src = distBinary(o.dist);
    if (!existsSync(src)) throw new Error(`no built executable at ${src} (npm run build)`);
    const bin = installBinary(layout, src);
    const config = await renderConfig(layout, o.template, o.provider, o.sets);
    createSwitch(layout);
    for (const n of layout.nodes) createNodeNet(layout, n);
    failAt('network');
    p(`network: switch ${layout.switchNetns} (bridge, 192.0.2.254), ${layout.nodes.map((n) => `${n.name} ${n.ip}`).join(', ')}`);
    const cib = seedCib();
    for (const n of layout.nodes) {
      writeNodeFiles(layout, n, bin, !config.drbd);
      writeSeedCib(n, cib);
    }
    const drbdNodes = config.drbd ? config.drbd.nodes.map((x) => findNode(layout, x)) : [];
    for (const n of drbdNodes) {
      state.loopDevices.push(attachNodeDisk(n));
      writeState(state, dir);
      state.loopDevices.push(attachLocalDisk(n, LAB_PAGE)); // for --compare-drbd stateful
      writeState(state, dir);
    }
    if (config.drbd) writeDrbdConf(layout, config.drbd.conf, config.drbd.resource);
    await Promise.all(layout.nodes.map((n) => startNodeInit(n)));
    p(`nodes powered on (own net/pid/mount/uts/ipc namespaces${drbdNodes.length ? `; ${drbdNodes.map((n) => n.name).join(' and ')} with a ${64} MiB block device /dev/hkl-disk` : ''})`);
    failAt('nodes');
    for (const n of layout.nodes) startClusterStack(layout, n);
    p(`corosync and pacemaker started on ${layout.nodes.map((n) => n.name).join(', ')}`);
    if (config.drbd) {
      initDrbd(layout, drbdNodes, config.drbd.resource, config.drbd.fstype, LAB_PAGE);
      p(`DRBD ${config.drbd.resource} (emulated) initialised: metadata, ${config.drbd.fstype} with the page on /dev/drbd0, handed to Pacemaker`);
    }
    const names = layout.nodes.map((n) => n.name);
    const first = layout.nodes[0]!;
    // Load the configuration as soon as node1's CIB daemon answers (before the DC election ends, when possible: the
    // elected DC keeps the CIB with the configuration); with DRBD only after its set-up, which is done by then.
    let loaded = false;
    try {
      await waitFor('the CIB on node1', () => (nodeRun(layout, first, ['cibadmin', '--query', '--scope', 'nodes'], { timeoutMs: 5000 }).code === 0 ? true : undefined), 30_000, 200);
      loadCrmConfig(layout, first, config.crm);
      loaded = true;
      p(`configuration loaded with crmsh (${o.template}, provider ${o.provider})`);
    } catch (e) {
      p(`configuration not loaded yet (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); retrying after formation`);
    }
    const formed = await waitFor('the cluster to form', () => {
      const s = monitor(layout, first);
      return isFormed(s, names) ? s : undefined;
    }, 90_000, 250);
    state.formedMs = p.elapsedMs();
    failAt('formed');
    p(`cluster formed: DC ${formed.dc}, ${names.length} nodes online, quorum ${formed.quorum ? 'yes' : 'no'}`);
    if (!loaded) {
      loadCrmConfig(layout, first, config.crm);
      p(`configuration loaded with crmsh (${o.template}, provider ${o.provider})`);
    }
    await stackReady(layout, p, 120_000);
    state.stackStartedMs = p.elapsedMs();
    writeState(state, dir);
    p(`stack started: lab up in ${(state.stackStartedMs / 1000).toFixed(1)} s`);
    return { layout, state };
  } catch (e) {
    if (process.env.HAKIT_LAB_KEEP === '1') {
      p('lab up failed; HAKIT_LAB_KEEP=1: left as it is for debugging (hakit lab down removes it)');
      throw e;
    }
    p(`lab up failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; tearing down`);
    const left = (await down({ progress: p })).filter((c) => !c.ok);
    for (const c of left) p(`LEFT ${c.what}: ${c.detail}`);
    throw e;
  }
};
