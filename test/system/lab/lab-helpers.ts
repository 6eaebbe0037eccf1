import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DIST, HAKIT } from '../../helpers/dist';

// Running `hakit lab ...` from the built executable, as a user would (root, real namespaces and cluster).

export interface Run { code: number; stdout: string; stderr: string; }

// Runs `hakit <args>` with the build under test (asynchronously: the test worker stays responsive meanwhile).
export const hakit = (args: string[], timeoutMs = 300_000): Promise<Run> =>
  new Promise((resolve) => {
    const c = spawn(HAKIT, args, { env: { ...process.env, HAKIT_DIST: DIST }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    c.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const t = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? 128, stdout, stderr }); });
  });

export interface Failover {
  scenario: string; from: string; to: string; servingMs?: number; clean: boolean; failuresAfterCleanup: string[];
  data: { file?: string; written: boolean; readBack: boolean; overHttp: boolean };
  page: { ok: boolean; body: string }; drbdPromotedOn?: string; rejoinedMs?: number;
  timeline: Array<{ label: string; ms: number; node?: string }>;
}

// Runs one failover scenario with a report and returns its parsed JSON (the text and SVG are checked too).
export const failover = async (scenario: string, extra: string[] = []): Promise<Failover> => {
  const dir = mkdtempSync(join(tmpdir(), 'hkl-test-'));
  const report = join(dir, `${scenario}.txt`);
  const r = await hakit(['lab', 'failover', '--scenario', scenario, '--report', report, ...extra]);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  const runs = JSON.parse(readFileSync(`${report}.json`, 'utf8')) as Failover[];
  expect(runs).toHaveLength(1);
  expect(readFileSync(report, 'utf8')).toContain('serving again');
  expect(readFileSync(`${report}.svg`, 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  return runs[0]!;
};

// The checks every web-stack failover must pass: service and DRBD on the other node, page and data intact,
// the failed node back (crash, cut) and no failed actions after cleanup.
export const expectGoodFailover = (f: Failover, rejoin: boolean): void => {
  expect(f.to).not.toBe(f.from);
  expect(f.drbdPromotedOn).toBe(f.to);
  expect(f.page.ok).toBe(true);
  expect(f.page.body).toContain('hakit lab');
  expect(f.data).toMatchObject({ written: true, readBack: true, overHttp: true });
  expect(f.servingMs).toBeGreaterThan(0);
  expect(f.timeline.map((e) => e.label)).toEqual(expect.arrayContaining(['injected', 'promoted', 'started', 'serving again']));
  if (rejoin) expect(f.rejoinedMs).toBeGreaterThan(0);
  expect(f.failuresAfterCleanup).toEqual([]);
  expect(f.clean).toBe(true);
};

// The lab's status as JSON.
export const status = async (): Promise<{ nodes: Array<{ node: string; cluster: string; power: string }>; mon: { resources: Array<{ id: string; role: string; nodes: string[] }>; failures: unknown[] } }> => {
  const r = await hakit(['lab', 'status', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

// `hakit lab down`, and its leftover checks all passing.
export const downClean = async (): Promise<void> => {
  const r = await hakit(['lab', 'down']);
  const lines = r.stdout.trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(6);
  expect(lines.filter((l) => !l.startsWith('ok '))).toEqual([]);
  expect(r.code).toBe(0);
};
