// npm run meta:update: rewrites the golden meta-data files meta/<Agent>.xml from the built agents
// (like fence-agents' xml-upload). The meta test then compares what the agents print with these files.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.HAKIT_DIST || join(root, 'dist');
const agents = execFileSync(join(dist, 'bin', 'hakit'), ['agents'], { encoding: 'utf8' }).trim().split('\n');
for (const a of agents) {
  const xml = execFileSync(join(dist, 'resource.d', 'hakit', a), ['meta-data'], { encoding: 'utf8' });
  writeFileSync(join(root, 'meta', `${a}.xml`), xml);
  console.log(`meta/${a}.xml`);
}
