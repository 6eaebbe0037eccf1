import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync, chmodSync, realpathSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

// Copies resource-agents' ocf-tester, xmllint with its shared libraries, ra-api-1.dtd and ocf-1.1.rng (from the host's
// Debian packages: resource-agents, libxml2-utils, pcs) into <share>/tools for hk-ocf-tester in the guest.
export const prepareOcfTester = (share: string): void => {
  const t = join(share, 'tools');
  for (const d of ['bin', 'lib', 'libexec']) mkdirSync(join(t, d), { recursive: true });
  copyFileSync('/usr/sbin/ocf-tester', join(t, 'bin', 'ocf-tester'));
  copyFileSync('/usr/share/resource-agents/ra-api-1.dtd', join(t, 'ra-api-1.dtd'));
  // the OCF 1.1 schema (pcs' copy), to validate the meta-data in the guest too
  copyFileSync('/usr/share/pcs/data/ocf-1.1.rng', join(t, 'ocf-1.1.rng'));
  copyFileSync('/usr/bin/xmllint', join(t, 'libexec', 'xmllint'));
  const ldd = execFileSync('ldd', ['/usr/bin/xmllint'], { encoding: 'utf8' });
  for (const m of ldd.matchAll(/=> (\/\S+)/g)) {
    const lib = m[1] ?? '';
    if (existsSync(lib)) copyFileSync(realpathSync(lib), join(t, 'lib', basename(lib)));
  }
  const wrapper = join(t, 'bin', 'xmllint');
  writeFileSync(wrapper, '#!/bin/sh\nLD_LIBRARY_PATH=/share/tools/lib exec /share/tools/libexec/xmllint "$@"\n');
  for (const f of [wrapper, join(t, 'bin', 'ocf-tester'), join(t, 'libexec', 'xmllint')]) chmodSync(f, 0o755);
};
