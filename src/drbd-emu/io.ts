// Where an emulated tool's output goes: the process's stdout/stderr, or buffers (drbdadm's in-process calls).

export interface Io { out(s: string): void; err(s: string): void }

// The process's own streams.
export const processIo: Io = { out: (s) => { process.stdout.write(s); }, err: (s) => { process.stderr.write(s); } };

// An Io that collects the text (stdout and stderr apart).
export const bufferIo = (): Io & { stdout: string; stderr: string } => {
  const b = { stdout: '', stderr: '', out: (s: string) => { b.stdout += s; }, err: (s: string) => { b.stderr += s; } };
  return b;
};
