import { mkdirSync, readFileSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseOutput } from './normalise';
import type { Pair, NodeName } from './pair';
import type { RunResult } from './vm';

// The normalised scenario format (test/vm/scenarios/*.json), meant to run unchanged against the real kernel (qemu)
// and against the DRBD emulator. A scenario is a list of steps; each step is one of:
//   { node, run, rc?, out?, err?, waitMs?, note? }  shell command in the node; rc = expected exit code (default 0);
//        out/err = expected normalised stdout/stderr (exact, after normaliseOutput; omit to not check);
//        waitMs = retry every 250 ms until rc/out match, at most that long (for asynchronous state changes)
//        id = also write the raw result as <id>.rc / <id>.stdout / <id>.stderr (the layout the emulator test reads)
//   { node, host: "crash" | "boot" | "shutdown" | "link-down" | "link-up" | "replace-disk" }
//        crash = power cut (SIGKILL of the VM); boot = start it again (same disks); link-down/up = pull/plug the
//        private link's cable of that node; replace-disk = the node (off) gets a new, empty disk
//   { record: "<step-name>" }   records the raw state outputs of every running node (hk-record) as <step-name>
//   { include: "<scenario>" }   inlines the steps of another scenario file (e.g. _synced: an initially synced pair)
//   { parallel: [steps] }       runs "run" steps on different nodes at the same time (e.g. start on both nodes)
export type Step =
  | { node: NodeName; run: string; rc?: number; out?: string; err?: string; waitMs?: number; note?: string; id?: string }
  | { node: NodeName; host: 'crash' | 'boot' | 'shutdown' | 'link-down' | 'link-up' | 'replace-disk'; note?: string }
  | { record: string; note?: string }
  | { include: string }
  | { parallel: Step[]; note?: string };

export interface Scenario {
  name: string;
  description: string;
  needsAgent?: boolean;
  steps: Step[];
}

export const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');

// Loads a scenario file and inlines its includes.
export const loadScenario = (name: string): Scenario => {
  const sc = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8')) as Scenario;
  const steps: Step[] = [];
  for (const st of sc.steps) {
    if ('include' in st) steps.push(...loadScenario(st.include).steps);
    else steps.push(st);
  }
  return { ...sc, steps };
};

export interface StepLog {
  i: number;
  node?: string;
  run?: string;
  host?: string;
  record?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  ms: number;
  tries?: number;
}

const describe = (st: RunStep): string => `${st.node}$ ${st.run}`;

const matches = (st: { rc?: number; out?: string; err?: string }, r: RunResult): boolean =>
  r.rc === (st.rc ?? 0) &&
  (st.out === undefined || normaliseOutput(r.stdout) === st.out) &&
  (st.err === undefined || normaliseOutput(r.stderr) === st.err);

type RunStep = Extract<Step, { run: string }>;

// Runs one command step, retrying while it does not match and waitMs allows.
const runStep = async (pair: Pair, st: RunStep): Promise<{ r: RunResult; tries: number; ms: number }> => {
  const t0 = Date.now();
  let r = await pair.run(st.node, st.run, 120_000);
  let tries = 1;
  while (!matches(st, r) && st.waitMs !== undefined && Date.now() - t0 < st.waitMs) {
    await new Promise((res) => setTimeout(res, 250));
    r = await pair.run(st.node, st.run, 120_000);
    tries++;
  }
  return { r, tries, ms: Date.now() - t0 };
};

// Runs a scenario on a booted pair; throws on the first step whose result differs (with the transcript so far).
// recordDir: where hk-record outputs and the transcript go (a folder per scenario).
// record=false skips the { record } steps (CI: the recordings are only kept when HAKIT_VM_RECORD=1 writes fixtures).
export const runScenario = async (pair: Pair, sc: Scenario, recordDir: string, record = true): Promise<StepLog[]> => {
  const log: StepLog[] = [];
  const guestRec = join(pair.share, 'rec', sc.name);
  mkdirSync(guestRec, { recursive: true });
  const flush = () => {
    mkdirSync(recordDir, { recursive: true });
    writeFileSync(join(recordDir, 'transcript.json'), JSON.stringify(log, null, 1) + '\n');
    if (existsSync(guestRec)) cpSync(guestRec, recordDir, { recursive: true });
  };
  try {
    for (const [i, st] of sc.steps.entries()) {
      const t0 = Date.now();
      if ('include' in st) continue;
      if ('record' in st) {
        if (!record) continue;
        await Promise.all(
          Object.values(pair.vms)
            .filter((vm) => vm.running)
            .map(async (vm) => {
              const r = await vm.run(`hk-record /share/rec/${sc.name} ${st.record}`);
              if (r.rc !== 0) throw new Error(`hk-record failed on ${vm.cfg.name}: ${r.stderr}`);
            }),
        );
        log.push({ i, record: st.record, ms: Date.now() - t0 });
        continue;
      }
      if ('host' in st) {
        const vm = pair.vm(st.node);
        if (st.host === 'crash') await vm.crash();
        else if (st.host === 'shutdown') await vm.shutdown();
        else if (st.host === 'boot') await pair.bootNode(st.node);
        else if (st.host === 'link-down') await vm.setLink(false);
        else if (st.host === 'link-up') await vm.setLink(true);
        else if (st.host === 'replace-disk') pair.replaceDisk(st.node);
        log.push({ i, node: st.node, host: st.host, ms: Date.now() - t0 });
        continue;
      }
      const runs = 'parallel' in st ? st.parallel : [st];
      const results = await Promise.all(
        runs.map(async (rs) => {
          if (!('run' in rs)) throw new Error(`${sc.name} step ${i}: only run steps may be parallel`);
          return { rs, ...(await runStep(pair, rs)) };
        }),
      );
      for (const { rs, r, tries, ms } of results) {
        log.push({ i, node: rs.node, run: rs.run, rc: r.rc, stdout: r.stdout, stderr: r.stderr, ms, tries });
        if (rs.id) {
          mkdirSync(recordDir, { recursive: true });
          writeFileSync(join(recordDir, `${rs.id}.rc`), `${r.rc}\n`);
          writeFileSync(join(recordDir, `${rs.id}.stdout`), r.stdout);
          writeFileSync(join(recordDir, `${rs.id}.stderr`), r.stderr);
        }
      }
      for (const { rs, r } of results) {
        if (matches(rs, r)) continue;
        const want = `rc ${rs.rc ?? 0}${rs.out !== undefined ? `, out ${JSON.stringify(rs.out)}` : ''}${rs.err !== undefined ? `, err ${JSON.stringify(rs.err)}` : ''}`;
        const got = `rc ${r.rc}, out ${JSON.stringify(normaliseOutput(r.stdout))}, err ${JSON.stringify(normaliseOutput(r.stderr))}`;
        throw new Error(`${sc.name} step ${i} (${describe(rs)}${rs.note ? ` — ${rs.note}` : ''}): expected ${want}; got ${got}`);
      }
    }
  } finally {
    flush();
  }
  return log;
};
