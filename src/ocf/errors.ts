import { OCF, type OcfExitCode } from './exit-codes';

// An error that carries the OCF exit code it maps to; the message becomes the exit reason.
export class OcfError extends Error {
  readonly code: OcfExitCode;
  constructor(code: OcfExitCode, message: string) {
    super(message);
    this.code = code;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
  }
}

// 1: a failure that a restart may cure.
export class GenericError extends OcfError {
  constructor(message: string) { super(OCF.ERR_GENERIC, message); }
}
// 2: a value that is invalid on this host only.
export class ArgsError extends OcfError {
  constructor(message: string) { super(OCF.ERR_ARGS, message); }
}
// 3: an action this agent does not implement.
export class UnimplementedError extends OcfError {
  constructor(message: string) { super(OCF.ERR_UNIMPLEMENTED, message); }
}
// 4: insufficient privileges.
export class PermError extends OcfError {
  constructor(message: string) { super(OCF.ERR_PERM, message); }
}
// 5: software or files missing on this host.
export class NotInstalledError extends OcfError {
  constructor(message: string) { super(OCF.ERR_INSTALLED, message); }
}
// 6: a configuration that is wrong everywhere (fatal for Pacemaker: never retried).
export class ConfigError extends OcfError {
  readonly param: string | undefined;
  constructor(message: string, param?: string) {
    super(OCF.ERR_CONFIGURED, message);
    this.param = param;
  }
}

// The OCF exit code for anything thrown: OcfError keeps its code, everything else is a generic error.
export const codeOfError = (err: unknown): OcfExitCode => (err instanceof OcfError ? err.code : OCF.ERR_GENERIC);

// A one-line reason for anything thrown, never a stack trace.
export const reasonOfError = (err: unknown): string => {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err).split('\n')[0] ?? 'unknown error';
};
