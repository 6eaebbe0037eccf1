import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { run } from './proc';
import type { PollSample } from './poller';
import { FLOATING_IP, type LabLayout } from './layout';

// The HTTP poller on the floating IP, run from the switch namespace (outside every node), and one-off GETs.

const binary = (layout: LabLayout): string => join(layout.dir, 'bin', 'hakit');

export interface Poller { samples: PollSample[]; stop(): Promise<PollSample[]>; }

// Starts polling http://<floating IP><path> every `every` ms; samples accumulate until stop().
export const startPoller = (layout: LabLayout, path = '/', every = 100): Poller => {
  const samples: PollSample[] = [];
  const child: ChildProcess = spawn('nsenter', [`--net=/run/netns/${layout.switchNetns}`, '--', binary(layout), 'lab', '_poll',
    `http://${FLOATING_IP}${path}`, '--every', String(every), '--timeout', '400'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try { samples.push(JSON.parse(line) as PollSample); } catch { /* partial */ }
    }
  });
  return {
    samples,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(samples);
      child.once('close', () => resolve(samples));
      child.kill('SIGKILL');
    }),
  };
};

// One GET of http://<floating IP><path> from the switch namespace.
export const getFromSwitch = (layout: LabLayout, path: string): PollSample => {
  const r = run('nsenter', [`--net=/run/netns/${layout.switchNetns}`, '--', binary(layout), 'lab', '_poll',
    `http://${FLOATING_IP}${path}`, '--count', '1', '--timeout', '2000']);
  try {
    return JSON.parse(r.stdout.trim().split('\n')[0] ?? '') as PollSample;
  } catch {
    return { t: Date.now(), ms: 0, ok: false, status: 0, body: '', error: r.stderr.trim() || 'no answer' };
  }
};
