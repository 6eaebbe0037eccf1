import type { ConfigLine } from './parse-config';

// What the agent needs from a flattened httpd configuration (pure, fixture-tested).
export interface ConfigSettings {
  readonly serverRoot: string | undefined; // first ServerRoot
  readonly pidFile: string | undefined; // first PidFile, as written (after ${VAR})
  readonly port: string | undefined; // first Port (Apache 1.3 style)
  readonly listen: string | undefined; // first Listen address, as written
  readonly listenProtocol: string | undefined; // its optional protocol argument ("https")
  // The last <Location X> whose block has `SetHandler server-status`, and where it is (for messages).
  readonly statusLocation: { path: string; file: string; line: number } | undefined;
}

// Collects the first ServerRoot/PidFile/Port/Listen and the server-status Location, as upstream's GetParams does.
export const extractSettings = (lines: readonly ConfigLine[]): ConfigSettings => {
  const first = new Map<string, ConfigLine>();
  let loc: { path: string; file: string; line: number } | undefined;
  let status: { path: string; file: string; line: number } | undefined;
  for (const l of lines) {
    const d = l.directive.toLowerCase();
    if (!first.has(d)) first.set(d, l);
    const open = /^<location(match)?$/i.exec(l.directive.replace(/>$/, ''));
    if (open) {
      const target = l.args.join(' ').replace(/>$/, '').trim();
      loc = { path: open[1] ? '' : target.replace(/^"|"$/g, ''), file: l.file, line: l.line };
      if (l.directive.endsWith('>') && !target) loc = undefined;
      continue;
    }
    if (/^<\/location(match)?>$/i.test(l.directive)) { loc = undefined; continue; }
    if (d === 'sethandler' && loc && loc.path && l.args[0]?.toLowerCase() === 'server-status') status = loc;
  }
  const arg = (d: string, i = 0) => first.get(d)?.args[i];
  return {
    serverRoot: arg('serverroot'),
    pidFile: arg('pidfile'),
    port: arg('port'),
    listen: arg('listen'),
    listenProtocol: arg('listen', 1),
    statusLocation: status,
  };
};
