import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget } from '../ocf/budget';
import { createRunner, type RunResult, type Runner } from '../exec/run';
import type { Logger } from '../ocf/log';

// The cluster tools the CLI drives (crmsh, pcs, cibadmin, crm_simulate, crm_verify), through src/exec/run.ts,
// on scratch CIB files: CIB_file points every tool at a file, so no cluster is needed.

const SILENT: Logger = { tag: 'hakit', debug() {}, info() {}, warn() {}, err() {}, crit() {}, flush() {} };

// A runner for one CLI command, bounded as a whole (crmsh starts slowly; pcs takes ~0.5 s per call).
export const cliRunner = (totalMs = 300_000): Runner => createRunner({ budget: createBudget(totalMs), log: SILENT });

// ANSI colour codes crmsh prints even with -D plain on some messages.
export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

// A private scratch directory, removed by the returned cleanup.
export const scratchDir = (): { dir: string; cleanup: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'hakit-cib-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

// An empty CIB from the installed Pacemaker (its own crm_feature_set and schema), marked as having quorum.
export const emptyCib = async (run: Runner, file: string): Promise<void> => {
  const r = await run.run('cibadmin', ['--empty']);
  if (r.code !== 0) throw new Error(`cibadmin --empty failed: ${r.stderr.trim() || r.code}`);
  writeFileSync(file, r.stdout.replace(/^<cib /, '<cib have-quorum="1" '));
};

// Runs a tool against a CIB file.
export const onCib = (run: Runner, file: string, cmd: string, args: readonly string[]): Promise<RunResult> =>
  run.run(cmd, args, { env: { CIB_file: file, CIB_shadow: undefined } });

// Lines of a tool's output that are messages (stripped of colour, blank lines dropped).
export const messages = (r: RunResult): string[] =>
  stripAnsi(`${r.stdout}\n${r.stderr}`).split('\n').map((l) => l.trim()).filter(Boolean);

// Reads a text file.
export const readText = (file: string): string => readFileSync(file, 'utf8');
// Writes a text file.
export const writeText = (file: string, text: string): void => writeFileSync(file, text);
