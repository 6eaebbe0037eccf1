// Generates the man pages from the built executable: ocf_hakit_<agent>.7 from each agent's meta-data (run through
// its link in <dist>/resource.d/hakit/) and hakit.1 from the --help of every CLI command.
//   node packaging/man/generate.mjs [out-dir]      (the executable from HAKIT_DIST, default dist/)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentPage, parseMetadata } from './agent-page.mjs';
import { cliPage, collectHelp } from './cli-page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cleanEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', OCF_ROOT: '/usr/lib/ocf', COLUMNS: '100' };
const run = (file, args) => execFileSync(file, args, { encoding: 'utf8', env: cleanEnv, maxBuffer: 16 << 20 });

// The agents the executable provides (`hakit agents`), in its order.
export const listAgents = (dist) => run(join(dist, 'bin', 'hakit'), ['agents']).split('\n').map((s) => s.trim()).filter(Boolean);

// Writes man1/hakit.1 and man7/ocf_hakit_<agent>.7 under outDir; returns the written paths.
export const generateManPages = async ({ dist, outDir, version }) => {
  const examples = JSON.parse(readFileSync(join(here, 'examples.json'), 'utf8'));
  const agents = listAgents(dist);
  const written = [];
  mkdirSync(join(outDir, 'man7'), { recursive: true });
  mkdirSync(join(outDir, 'man1'), { recursive: true });
  for (const agent of agents) {
    const meta = parseMetadata(run(join(dist, 'resource.d', 'hakit', agent), ['meta-data']));
    if (meta.name !== agent) throw new Error(`${agent}: meta-data names the agent ${meta.name}`);
    const file = join(outDir, 'man7', `ocf_hakit_${agent}.7`);
    writeFileSync(file, agentPage(meta, { version, examples: examples[agent] ?? {} }));
    written.push(file);
  }
  const commands = await collectHelp(async (argv) => run(join(dist, 'bin', 'hakit'), argv));
  const file = join(outDir, 'man1', 'hakit.1');
  writeFileSync(file, cliPage(commands, { version, agents }));
  written.push(file);
  return written;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(here, '..', '..');
  const dist = resolve(process.env.HAKIT_DIST || join(root, 'dist'));
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const files = await generateManPages({ dist, outDir: resolve(process.argv[2] || join(root, 'build', 'man')), version });
  process.stdout.write(`${files.join('\n')}\n`);
}
