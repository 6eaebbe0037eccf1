// Scripted DRBD scenarios, shared in spirit with the real-kernel VM suite: each step is one command on one node
// with the expected exit code and (normalised) output. Where test/fixtures/drbd/real/<scenario>/<step>.{rc,stdout,stderr}
// recordings exist, the emulator's result must equal them too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../../helpers/dist';
import { normaliseOutput } from '../../vm/normalise';
import { normalise, type Node, type Result, type TwoNodes } from './two-nodes';

export interface Step { id: string; node: 0 | 1; cmd: string[]; rc: number; stdout?: string | RegExp; stderr?: string | RegExp }

const REAL = join(ROOT, 'test', 'fixtures', 'drbd', 'real');

// Runs one step and checks it against its expectation and, if recorded, the real kernel's answer.
export const runStep = (lab: TwoNodes, scenario: string, s: Step): Result => {
  const node: Node = lab.nodes[s.node];
  const r = lab.sh(node, s.cmd);
  const got = { rc: r.rc, stdout: normalise(r.stdout), stderr: normalise(r.stderr) };
  const where = `${scenario}/${s.id} on ${node.name}: ${s.cmd.join(' ')}`;
  expect(got.rc, `${where}\n${got.stderr}`).toBe(s.rc);
  for (const k of ['stdout', 'stderr'] as const) {
    const want = s[k];
    if (typeof want === 'string') expect(got[k], where).toBe(want);
    else if (want) expect(got[k], where).toMatch(want);
  }
  const base = join(REAL, scenario, s.id);
  if (existsSync(`${base}.rc`)) {
    expect(got.rc, `${where} vs real`).toBe(Number(readFileSync(`${base}.rc`, 'utf8').trim()));
    for (const k of ['stdout', 'stderr'] as const) {
      // the real-kernel suite's normalisation (counters, progress, srcversion) on both sides
      if (existsSync(`${base}.${k}`)) expect(normaliseOutput(got[k]), `${where} vs real ${k}`).toBe(normaliseOutput(normalise(readFileSync(`${base}.${k}`, 'utf8'))));
    }
  }
  return r;
};
