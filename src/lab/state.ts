import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDir, labLayout, type LabLayout } from './layout';

// What `lab up` records for the later commands (status, crash, failover, down).

export type Provider = 'hakit' | 'heartbeat';

export interface LabState {
  nodes: number;
  provider: Provider;
  template: string;
  sets: Record<string, string>;
  createdAt: string;
  netnsDirExisted: boolean; // /run/netns existed before the lab: `down` leaves it; otherwise removes it if empty
  loopDevices: string[]; // loop devices the lab attached (one per node for the DRBD emulator)
  formedMs?: number;
  stackStartedMs?: number;
  drbdVariant?: 'drbd' | 'stateful'; // failover --compare-drbd: Stateful on local disks in DRBD's place (default drbd)
}

const stateFile = (dir: string) => join(dir, 'lab.json');

// Reads the lab's state, or undefined when no lab was brought up.
export const readState = (dir: string = labDir()): LabState | undefined =>
  existsSync(stateFile(dir)) ? (JSON.parse(readFileSync(stateFile(dir), 'utf8')) as LabState) : undefined;

// Writes the lab's state.
export const writeState = (state: LabState, dir: string = labDir()): void => {
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
};

// The running lab's layout and state; throws a clear error when there is none.
export const currentLab = (dir: string = labDir()): { layout: LabLayout; state: LabState } => {
  const state = readState(dir);
  if (!state) throw new Error('no lab is up (hakit lab up)');
  return { layout: labLayout(state.nodes, dir), state };
};
