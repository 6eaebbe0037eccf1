import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_DISK } from './drbd-setup';
import type { LabLayout } from './layout';
import type { Progress } from './progress';
import { writeState, type LabState } from './state';
import { replaceResources, swapProviders } from './swap';
import { stackReady } from './wait';

// The web stack with ocf:pacemaker:Stateful in the DRBD resource's place, swapped into the running lab (same
// cluster, same clone with its meta attributes and operations, same group, constraints and apache), to measure
// what the (emulated) DRBD adds to a failover. The Filesystem then mounts the node's own local disk
// (/dev/hkl-local, an ext4 image with the page, made at lab up) instead of /dev/drbd0: the stack's shape and its
// mount/umount work stay, only the replication goes. The DRBD resource is stopped (down) meanwhile; nothing
// writes to its backing disks, so the pair is still in sync when DRBD comes back.

export type DrbdVariant = 'drbd' | 'stateful';

const savedFile = (layout: LabLayout): string => join(layout.dir, 'resources-drbd.xml');

// The resources section with the drbd primitive turned into ocf:pacemaker:Stateful (without the drbd parameters)
// and the Filesystem's device set to the node's local disk.
export const statefulResources = (xml: string): string => {
  const drbd = /<primitive\b[^>]*\btype="drbd"[^>]*>[\s\S]*?<\/primitive>/;
  if (!drbd.test(xml)) throw new Error('the lab configuration has no drbd primitive to replace');
  return xml
    .replace(drbd, (prim) => prim
      .replace(/<primitive\b[^>]*>/, (tag) => tag.replace(/\bprovider="[^"]*"/, 'provider="pacemaker"').replace(/\btype="drbd"/, 'type="Stateful"'))
      .replace(/<instance_attributes\b[\s\S]*?<\/instance_attributes>\s*/g, ''))
    .replace(/<primitive\b[^>]*\btype="Filesystem"[^>]*>[\s\S]*?<\/primitive>/, (prim) =>
      prim.replace(/<nvpair\b[^>]*\bname="device"[^>]*>/, (nv) => nv.replace(/\bvalue="[^"]*"/, `value="${LOCAL_DISK}"`)));
};

// Switches the running lab to `to` (no-op when already there); waits until the stack runs again.
export const setDrbdVariant = async (layout: LabLayout, state: LabState, to: DrbdVariant, p: Progress): Promise<void> => {
  if ((state.drbdVariant ?? 'drbd') === to) return;
  p(`switching the stack to ${to === 'drbd' ? 'DRBD' : 'ocf:pacemaker:Stateful on local disks'}: stopping all resources`);
  await replaceResources(layout, (xml) => {
    if (to === 'stateful') {
      writeFileSync(savedFile(layout), xml);
      return statefulResources(xml);
    }
    if (!existsSync(savedFile(layout))) throw new Error(`${savedFile(layout)} is missing: cannot restore the DRBD configuration`);
    return swapProviders(readFileSync(savedFile(layout), 'utf8'), state.provider);
  });
  state.drbdVariant = to;
  writeState(state, layout.dir);
  await stackReady(layout, undefined, 180_000);
  p(`stack started with ${to}`);
};
