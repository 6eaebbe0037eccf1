// The .rpm: rpmbuild -bb packaging/rpm/hakit.spec with the staged tree as its source directory, in a private
// _topdir. Returns the path of the built .rpm.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Builds hakit-<version>-1.x86_64.rpm from the staged tree `dir` into outDir (`run(file, args, opts)` runs a tool).
export const buildRpm = ({ dir, version, epoch, workDir, outDir, run, xzLevel }) => {
  const top = join(workDir, 'rpmbuild');
  rmSync(top, { recursive: true, force: true });
  mkdirSync(top, { recursive: true });
  const env = { ...process.env, SOURCE_DATE_EPOCH: String(epoch), LC_ALL: 'C.UTF-8' };
  run('rpmbuild', [
    '-bb', '--quiet',
    '--define', `_topdir ${top}`,
    '--define', `_sourcedir ${dir}`,
    '--define', `hakit_version ${version}`,
    '--define', `hakit_xz_level ${xzLevel}`,
    '--define', 'use_source_date_epoch_as_buildtime 1',
    '--define', 'clamp_mtime_to_source_date_epoch 1',
    '--define', '_buildhost hakit-build',
    join(here, 'hakit.spec'),
  ], { env });
  const rpmsDir = join(top, 'RPMS', 'x86_64');
  const built = readdirSync(rpmsDir).filter((f) => f.endsWith('.rpm'));
  if (built.length !== 1) throw new Error(`rpmbuild: expected one .rpm, found ${built.join(', ') || 'none'}`);
  const target = join(outDir, built[0]);
  renameSync(join(rpmsDir, built[0]), target);
  return target;
};
