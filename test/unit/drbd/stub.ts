// Test helper: runs the drbd agent in process (runAgent) with PATH pointing at the stand-in programs of
// test/fixtures/drbd/bin, which replay recorded outputs from a per-test scenario folder and log their argv.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAgent } from '../../../src/ocf/dispatch';
import { createRunner } from '../../../src/exec/run';
import { spec } from '../../../agents/drbd/spec';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIX = join(ROOT, 'test', 'fixtures', 'drbd');
export const BIN = join(FIX, 'bin');

export const fixture = (rel: string): string => readFileSync(join(FIX, rel), 'utf8');

export const DUMP = 'resource r0 {\n    on node-a {\n        device /dev/drbd0 minor 0;\n    }\n}\n';
export const DUMP_TWO_PRIMARIES = 'resource r0 {\n    net {\n        allow-two-primaries yes;\n    }\n}\n';
export const locateXml = (nodes: Array<[string, boolean]>): string =>
  `<pacemaker-result api-version="2.25" request="crm_resource --locate">\n  <nodes resource="p_drbd">\n${nodes
    .map(([n, p]) => `    <node${p ? ' state="promoted"' : ''}>${n}</node>`)
    .join('\n')}\n  </nodes>\n  <status code="0" message="OK"/>\n</pacemaker-result>\n`;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  reason: string | undefined;
  logs: string[];
  calls: string[]; // argv lines logged by the stand-ins
  ms: number;
}

export interface Stub {
  readonly dir: string;
  readonly procFile: string;
  write(name: string, content: string): void;
  remove(name: string): void;
  read(name: string): string | undefined;
  run(action: string, params?: Record<string, string>, env?: Record<string, string>): Promise<Run>;
  cleanup(): void;
}

// A scenario: a module loaded (proc present) with events2 showing `events2`; files override anything.
export const makeStub = (files: Record<string, string> = {}, opts: { proc?: string | null } = {}): Stub => {
  const dir = mkdtempSync(join(tmpdir(), 'hk-drbd-'));
  const procFile = join(dir, 'proc-drbd');
  const stub: Stub = {
    dir,
    procFile,
    write: (name, content) => {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    },
    remove: (name) => rmSync(join(dir, name), { force: true, recursive: true }),
    read: (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined),
    run: async (action, params = {}, extra = {}) => {
      const logFile = join(dir, 'calls.log');
      writeFileSync(logFile, '');
      const env: NodeJS.ProcessEnv = {
        PATH: `${BIN}:/usr/bin:/bin`,
        DRBD_STUB_DIR: dir,
        DRBD_STUB_LOG: logFile,
        HAKIT_DRBD_PROC_FILE: procFile,
        OCF_ROOT: '/usr/lib/ocf',
        OCF_RESOURCE_INSTANCE: 'p_drbd',
        OCF_RESKEY_CRM_meta_timeout: '20000',
        OCF_RESKEY_CRM_meta_notify: 'true',
        OCF_RESKEY_CRM_meta_on_node: 'node-a',
        OCF_RESKEY_drbd_resource: 'r0',
        OCF_RESKEY_drbdconf: join(dir, 'drbd.conf'),
        ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
        ...extra,
      };
      let stdout = '';
      let stderr = '';
      const logs: string[] = [];
      const t0 = Date.now();
      const code = await runAgent(spec, action, env, {
        stdout: (s) => { stdout += s; },
        stderr: (s) => { stderr += s; },
        sinks: () => ({
          tag: 'drbd(test)', facility: undefined, logfile: undefined, debuglog: undefined, debug: true, tty: false,
          stderr: (line) => logs.push(line), now: () => new Date(), syslog: () => undefined,
        }),
        runner: (deps) => createRunner({ ...deps, baseEnv: env }),
      });
      const reason = /^ocf-exit-reason:(.*)$/m.exec(stderr)?.[1];
      const calls = readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '');
      return { code, stdout, stderr, reason, logs, calls, ms: Date.now() - t0 };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  stub.write('drbd.conf', '# test configuration\n');
  if (opts.proc !== null) stub.write('proc-drbd', opts.proc ?? fixture('proc/8.4.11-real-secondary-connected.txt'));
  stub.write('drbdadm.version.out', 'DRBDADM_VERSION_CODE=0x091600\nDRBD_KERNEL_VERSION_CODE=0x08040b\n');
  stub.write('drbdadm.dump.out', DUMP);
  stub.write('drbdadm.sh-dev.out', '/dev/null\n');
  for (const [k, v] of Object.entries(files)) stub.write(k, v);
  return stub;
};

// Sets the events2 output a scenario shows now (and optionally after a drbdadm subcommand).
export const events2 = (name: string): string => fixture(`events2/${name}.txt`);
