import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the built executable lives (npm run build); HAKIT_DIST points elsewhere for parallel work.
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.HAKIT_DIST ?? join(ROOT, 'dist');
export const HAKIT = join(DIST, 'bin', 'hakit');
export const agentPath = (name: string): string => join(DIST, 'resource.d', 'hakit', name);
export const UPSTREAM_OCF_ROOT = '/usr/lib/ocf';
export const upstreamAgentPath = (provider: string, name: string): string =>
  join(UPSTREAM_OCF_ROOT, 'resource.d', provider, name);
