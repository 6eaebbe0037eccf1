import { connect } from 'node:net';

// Sends one QMP command to the qemu monitor socket at path (greeting, qmp_capabilities, the command) and returns
// the "return" member of the answer; events are skipped; an error answer or 10 s of silence rejects.
export const qmpCommand = (path: string, execute: string, args: Record<string, unknown> = {}): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    let stage = 0;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`qmp ${execute}: timeout`));
    }, 10_000);
    s.setEncoding('utf8');
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        if ('event' in msg) continue;
        if (stage === 0) {
          stage = 1;
          s.write(JSON.stringify({ execute: 'qmp_capabilities' }) + '\n');
        } else if (stage === 1) {
          stage = 2;
          s.write(JSON.stringify({ execute, arguments: args }) + '\n');
        } else {
          clearTimeout(timer);
          s.end();
          if ('error' in msg) reject(new Error(`qmp ${execute}: ${JSON.stringify(msg.error)}`));
          else resolve(msg.return);
        }
      }
    });
  });
