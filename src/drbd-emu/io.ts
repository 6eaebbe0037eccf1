// Where an emulated tool's output goes: the process's stdout/stderr, or buffers (drbdadm's in-process calls).
import { writeFd } from '../ocf/stdio';

export interface Io { out(s: string): void; err(s: string): void }

// The process's own stdout and stderr, written with write(2) (process.stdout would load the stream modules).
export const processIo: Io = { out: (s) => { writeFd(1, s); }, err: (s) => { writeFd(2, s); } };

// An Io that collects the text (stdout and stderr apart).
export const bufferIo = (): Io & { stdout: string; stderr: string } => {
  const b = { stdout: '', stderr: '', out: (s: string) => { b.stdout += s; }, err: (s: string) => { b.stderr += s; } };
  return b;
};
