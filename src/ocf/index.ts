// The public API of the agent framework.
export { OCF, exitCodeName } from './exit-codes';
export type { OcfExitCode } from './exit-codes';
export { OcfError, GenericError, ArgsError, UnimplementedError, PermError, NotInstalledError, ConfigError } from './errors';
export { isTrue } from './bool';
export { p, readParams, quote } from './params';
export type { ParamDef, ParamDefs, InferParams } from './params';
export { defineAgent } from './spec';
export type { AgentSpec, ActionDef, ActionMeta, Role, Handler } from './spec';
export type { AgentContext, MetaAttrs } from './context';
export { sleepWithin, pollWithin } from './budget';
export type { Budget } from './budget';
export { runAgent, runMain } from './dispatch';
export { writeFd } from './stdio';
export type { AgentIO } from './dispatch';
