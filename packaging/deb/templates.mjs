// The data files under /usr/share/hakit/templates/: every template the CLI knows (`hakit template list`), rendered
// with its default values in every format `hakit template render` offers, its description (`hakit template show`),
// plus any data file (not TypeScript) kept in src/templates/. New templates and formats are picked up by themselves.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// File name suffix per render format (others: .<format>).
const SUFFIX = { crm: '.crm', 'crm-ms': '.ms.crm', pcs: '.pcs.sh', xml: '.cib.xml', drbd: '.res' };

const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
const run = (hakit, args) => execFileSync(hakit, args, { encoding: 'utf8', env, maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'pipe'] });

// The formats listed in `hakit template render --help` (commander prints `(choices: "a", "b", ...)`).
const renderFormats = (hakit) => {
  const m = /choices:\s*((?:"[^"]+",?\s*)+)/.exec(run(hakit, ['template', 'render', '--help']));
  return m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : ['crm'];
};

const hasTemplateCommand = (hakit) => /^\s+template\b/m.test(run(hakit, ['--help']));

// Files (recursively) under dir that are data, not code.
const dataFiles = (dir) => !existsSync(dir) ? [] : readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  if (statSync(p).isDirectory()) return dataFiles(p);
  return /\.(ts|mts|cts|js|mjs|cjs|map)$/.test(n) ? [] : [p];
});

// Writes the templates into outDir; returns the written file names (relative to outDir).
export const exportTemplates = ({ hakit, srcDir, outDir }) => {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  // Scripts (the pcs form starts with #!) are installed executable, everything else as plain data.
  const put = (name, text) => {
    writeFileSync(join(outDir, name), text);
    chmodSync(join(outDir, name), text.startsWith('#!') ? 0o755 : 0o644);
    written.push(name);
  };
  if (hasTemplateCommand(hakit)) {
    const names = run(hakit, ['template', 'list']).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    const formats = renderFormats(hakit);
    for (const name of names) {
      put(`${name}.txt`, run(hakit, ['template', 'show', name]));
      for (const f of formats) put(`${name}${SUFFIX[f] ?? `.${f}`}`, run(hakit, ['template', 'render', name, '--format', f]));
    }
    put('README', [
      'crm configuration templates of hakit, rendered with their default values.',
      '',
      '  <name>.txt       what the template builds and which values it takes (hakit template show <name>)',
      ...formats.map((f) => `  <name>${(SUFFIX[f] ?? `.${f}`).padEnd(12)}  hakit template render <name> --format ${f}`),
      '',
      'Render with your own values: hakit template render <name> --set key=value ... --format <format>',
      'and check the result without a cluster: hakit template verify <name> --set key=value ...',
      '',
    ].join('\n'));
  }
  for (const file of dataFiles(srcDir)) {
    const rel = relative(srcDir, file);
    mkdirSync(join(outDir, rel, '..'), { recursive: true });
    copyFileSync(file, join(outDir, rel));
    chmodSync(join(outDir, rel), readFileSync(file, 'latin1').startsWith('#!') ? 0o755 : 0o644);
    written.push(rel);
  }
  return written.sort();
};
