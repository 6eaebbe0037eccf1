import type { AgentSpec } from '../src/ocf/spec';

// The agents this executable provides, by OCF type. Loaded lazily: a call pays only for its own agent.
// A new agent: a folder agents/<name>/ with spec.ts exporting `spec`, and one line here.
export const AGENTS: Record<string, () => Promise<AgentSpec<any>>> = {
  IPaddr2: async () => (await import('./ipaddr2/spec')).spec,
  drbd: async () => (await import('./drbd/spec')).spec,
  Filesystem: async () => (await import('./filesystem/spec')).spec,
  apache: async () => (await import('./apache/spec')).spec,
};

export const agentNames = (): string[] => Object.keys(AGENTS);

// Other programs the executable can be, by the name it is invoked as (dist/libexec/hakit/<name>): the lab's
// stand-ins. Each module exports `main(argv: string[]): Promise<number>` (argv without the program name).
export const TOOLS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  drbdadm: async () => (await import('../src/drbd-emu/drbdadm')).main,
  drbdsetup: async () => (await import('../src/drbd-emu/drbdsetup')).main,
  'drbdsetup-84': async () => (await import('../src/drbd-emu/drbdsetup')).main,
  drbdmeta: async () => (await import('../src/drbd-emu/drbdmeta')).main,
  'hakit-drbd-kernel': async () => (await import('../src/drbd-emu/kernel')).main,
  'hakit-drbd-proc': async () => (await import('../src/drbd-emu/proc-view')).main,
};

export const toolNames = (): string[] => Object.keys(TOOLS);
