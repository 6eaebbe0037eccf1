// The .deb: copies packaging/deb/debian/ into the staged tree, adds the generated parts (changelog, links, man page
// list), and runs dpkg-buildpackage (debhelper). Returns the path of the built .deb.
import { cpSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTABLE } from './stage.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// RFC 2822 date for debian/changelog.
const rfc2822 = (epochSeconds) => {
  const d = new Date(epochSeconds * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n) => String(n).padStart(2, '0');
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

const maintainer = () => /^Maintainer:\s*(.+)$/m.exec(readFileSync(join(here, 'debian', 'control'), 'utf8'))[1];

// Builds hakit_<version>_amd64.deb from the staged tree `dir` into outDir (`run(file, args, opts)` runs a tool).
export const buildDeb = ({ dir, agents, version, epoch, gitRev, outDir, run, xzLevel }) => {
  cpSync(join(here, 'debian'), join(dir, 'debian'), { recursive: true });
  writeFileSync(join(dir, 'debian', 'changelog'), [
    `hakit (${version}) unstable; urgency=medium`, '',
    `  * Built from hakit ${version}${gitRev ? ` (git ${gitRev})` : ''} by packaging/package.mjs.`, '',
    ` -- ${maintainer()}  ${rfc2822(epoch)}`, '',
  ].join('\n'));
  // dh_link makes these relative (usr/bin/hakit -> ../lib/hakit/hakit).
  writeFileSync(join(dir, 'debian', 'hakit.links'),
    [`${EXECUTABLE} usr/bin/hakit`, ...agents.map((a) => `${EXECUTABLE} usr/lib/ocf/resource.d/hakit/${a}`)].join('\n') + '\n');
  writeFileSync(join(dir, 'debian', 'hakit.manpages'),
    ['man/man1/hakit.1', ...agents.map((a) => `man/man7/ocf_hakit_${a}.7`)].join('\n') + '\n');
  const env = { ...process.env, SOURCE_DATE_EPOCH: String(epoch), DEB_BUILD_OPTIONS: 'nostrip', LC_ALL: 'C.UTF-8', HAKIT_XZ_LEVEL: String(xzLevel) };
  run('dpkg-buildpackage', ['-b', '-us', '-uc', '--no-pre-clean'], { cwd: dir, env });
  const built = readdirSync(dirname(dir)).filter((f) => f.startsWith(`hakit_${version}_`) && f.endsWith('.deb'));
  if (built.length !== 1) throw new Error(`dpkg-buildpackage: expected one .deb, found ${built.join(', ') || 'none'}`);
  const target = join(outDir, built[0]);
  renameSync(join(dirname(dir), built[0]), target);
  return target;
};
