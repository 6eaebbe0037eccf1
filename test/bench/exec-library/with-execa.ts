// One `ip -o link show` through execa, the project's process library.
import { execa } from 'execa';

void execa('ip', ['-o', 'link', 'show'], { env: { LC_ALL: 'C' }, timeout: 5000, reject: false }).then((r) => {
  process.exitCode = r.stdout.length > 0 ? 0 : 1;
});
