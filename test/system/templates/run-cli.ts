import { spawn } from 'node:child_process';
import { HAKIT } from '../../helpers/dist';

export interface CliRun { code: number; stdout: string; stderr: string }

// Runs the built hakit CLI (argument array, no shell).
export const hakit = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(HAKIT, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });

export const setArgs = (set: Readonly<Record<string, string>>): string[] => Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
