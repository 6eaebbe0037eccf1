import { writeSync } from 'node:fs';
import { internalBinding } from '../exec/internal-binding';

// The agent's standard output and error, written with write(2) instead of through process.stdout/stderr: building
// those stream objects loads the net and stream modules (milliseconds and megabytes on every agent call).

// Writes all of text to fd synchronously; waits out EAGAIN on a non-blocking pipe, gives up on a closed one.
export const writeFd = (fd: number, text: string): void => {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  let waits = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
      waits = 0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || waits++ >= 5000) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
};

// Whether fd is a terminal, without loading node:tty (it pulls in net): the tty_wrap binding tty.isatty uses.
export const isTerminal = (fd: number): boolean => {
  const b = internalBinding<{ isTTY?: (fd: number) => boolean }>('tty_wrap');
  if (typeof b?.isTTY === 'function') return b.isTTY(fd);
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
};
