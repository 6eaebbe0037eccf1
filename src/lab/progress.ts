// Progress lines on stderr while the lab works ("[  3.2 s] corosync started on node1").
export interface Progress {
  (msg: string): void;
  elapsedMs(): number;
}

// A progress printer whose clock starts now; quiet=true keeps it silent (tests, JSON output).
export const createProgress = (quiet = false, out: NodeJS.WritableStream = process.stderr): Progress => {
  const t0 = Date.now();
  const p = ((msg: string) => {
    if (!quiet) out.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`);
  }) as Progress;
  p.elapsedMs = () => Date.now() - t0;
  return p;
};
