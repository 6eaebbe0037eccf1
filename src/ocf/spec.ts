import type { OcfExitCode } from './exit-codes';
import type { InferParams, ParamDefs } from './params';
import type { AgentContext } from './context';

export type Role = 'Promoted' | 'Unpromoted';

// One <action> line of the meta-data; monitor usually has several (one per role or depth).
export interface ActionMeta {
  timeout?: number; // seconds; defaults to the action's timeout
  interval?: number; // seconds
  depth?: number;
  role?: Role;
  startDelay?: number;
}

export type Handler<D extends ParamDefs> = (ctx: AgentContext<InferParams<D>>) => Promise<OcfExitCode>;

export interface ActionDef<D extends ParamDefs> {
  timeout: number; // seconds: the default budget when Pacemaker sends no CRM_meta_timeout
  meta?: readonly ActionMeta[]; // the <action> entries; default: one entry with the timeout
  hidden?: boolean; // accepted but not advertised (e.g. `status`)
  // Run the agent's validate() first (start, promote, validate-all...). Monitor and stop must not: a vanished
  // NIC or device is "not running", not a fatal configuration error.
  validate?: boolean;
  // Run even when parameters are invalid: stop, whose failure means fencing.
  tolerant?: boolean;
  run: Handler<D>;
}

export interface AgentSpec<D extends ParamDefs = ParamDefs> {
  name: string; // the OCF type, e.g. "IPaddr2"
  version: string;
  shortdesc: string;
  longdesc: string;
  params: D;
  actions: Record<string, ActionDef<D>>;
  // Checks across parameters and against the host; throws an OcfError. Called before actions with validate:true.
  validate?: (ctx: AgentContext<InferParams<D>>) => Promise<void> | void;
  // When parameters are invalid on stop: best effort to make sure nothing is left running (default: nothing).
  onInvalidStop?: (ctx: AgentContext<InferParams<D>>) => Promise<void>;
}

// Declares an agent; the identity function that gives the spec its inferred parameter types.
export const defineAgent = <D extends ParamDefs>(spec: AgentSpec<D>): AgentSpec<D> => spec;
