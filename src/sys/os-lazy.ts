// node:os, loaded on first use: loading it costs a call ~1.5 ms (measured A/B on the pinned runtime, docs/figures.md),
// and the agents' hot paths need it only on rare branches (a child killed by a signal, a missing on_node).
type Os = typeof import('node:os');
let os: Os | undefined;
const load = (): Os => (os ??= require('node:os') as Os);

export const hostname = (): string => load().hostname();

// Signal numbers by name (SIGTERM → 15), this platform's.
export const signalNumbers = (): Readonly<Record<string, number>> => load().constants.signals as Record<string, number>;
