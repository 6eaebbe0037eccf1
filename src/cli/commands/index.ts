import type { Command } from 'commander';

// Each command group registers itself on the program; one module per group (meta, template, doctor, lab).
export type CommandRegistrar = (program: Command) => void;

export const loadCommandGroups = async (): Promise<CommandRegistrar[]> => [
  (await import('./lab')).registerLab,
  (await import('./demo')).registerDemo,
  (await import('./template')).registerTemplate,
  (await import('./doctor')).registerDoctor,
  (await import('./meta')).registerMeta,
];
