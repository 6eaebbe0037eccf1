import type { Budget } from './budget';
import type { Logger } from './log';
import type { Runner } from '../exec/run';

// Everything one invocation knows; created per call, no module-level state.
export interface AgentContext<P> {
  readonly agent: string; // OCF type, e.g. "IPaddr2"
  readonly action: string;
  readonly params: P;
  readonly given: ReadonlySet<string>; // parameters set explicitly
  readonly env: NodeJS.ProcessEnv;
  readonly instance: string; // OCF_RESOURCE_INSTANCE (may be empty outside Pacemaker)
  readonly isProbe: boolean; // monitor with interval 0 (or unset)
  readonly checkLevel: number; // OCF_CHECK_LEVEL, 0 when unset; NaN when not an integer
  readonly meta: MetaAttrs;
  readonly budget: Budget;
  readonly log: Logger;
  readonly exec: Runner;
  // Notes why a non-zero code is returned (first note wins); shown as the exit reason, never on a probe's 7.
  reason(msg: string): void;
}

// The CRM_meta_* attributes an agent reads, already typed.
export interface MetaAttrs {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly cloneMax: number | undefined;
  readonly clone: string | undefined; // instance number of a clone
  readonly globallyUnique: boolean;
  readonly notify: boolean;
  readonly promotedMax: number | undefined;
  readonly promotedNodeMax: number | undefined;
  readonly cloneNodeMax: number | undefined;
  readonly onNode: string | undefined;
  get(name: string): string | undefined; // any other CRM_meta_<name>
}
