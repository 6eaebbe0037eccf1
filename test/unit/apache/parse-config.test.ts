import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseUrlFor } from '../../../agents/apache/config';
import { extractSettings } from '../../../agents/apache/config-settings';
import { fsSource } from '../../../agents/apache/fs-source';
import { flattenConfig, globPaths, splitArgs } from '../../../agents/apache/parse-config';
import { parseEnvvars } from '../../../agents/apache/parse-envvars';
import { ROOT } from '../../helpers/dist';

const FIX = join(ROOT, 'test', 'fixtures', 'apache');
const STOCK = join(FIX, 'debian-stock');
const CUSTOM = join(FIX, 'custom');

describe('flattenConfig on Debian 12 stock /etc/apache2 (recorded)', () => {
  const env = parseEnvvars(fsSource.read(join(STOCK, 'envvars')) ?? '', {}).exported;
  const flat = flattenConfig(join(STOCK, 'apache2.conf'), { src: fsSource, env, defaultServerRoot: STOCK });
  const s = extractSettings(flat.lines);

  it('expands IncludeOptional, so ports.conf and mods-enabled/status.conf are read', () => {
    const files = new Set(flat.lines.map((l) => l.file));
    expect(files).toContain(join(STOCK, 'ports.conf'));
    expect(files).toContain(join(STOCK, 'mods-enabled', 'status.conf'));
    expect(files).toContain(join(STOCK, 'sites-enabled', '000-default.conf'));
    expect(flat.problems).toEqual([]);
  });
  it('finds the server-status Location with its file and line', () => {
    expect(s.statusLocation).toEqual({ path: '/server-status', file: join(STOCK, 'mods-enabled', 'status.conf'), line: 5 });
  });
  it('takes the first Listen and PidFile, with ${APACHE_PID_FILE} from envvars', () => {
    expect(s.listen).toBe('80');
    expect(s.pidFile).toBe('/var/run/apache2/apache2.pid');
    expect(s.serverRoot).toBeUndefined();
    expect(baseUrlFor(s, 80)).toBe('http://localhost:80');
  });
  it('reads the .load files in sorted order (mpm before later modules)', () => {
    const loadFiles = flat.lines.filter((l) => l.directive === 'LoadModule').map((l) => l.file.slice(STOCK.length + 1));
    expect(loadFiles[0]).toBe('mods-enabled/access_compat.load');
    expect(loadFiles).toContain('mods-enabled/status.load');
    expect(loadFiles).toEqual([...loadFiles].sort());
  });
  it('without envvars the variable stays unexpanded and is reported (upstream fallback applies later)', () => {
    const bare = flattenConfig(join(STOCK, 'apache2.conf'), { src: fsSource, env: {}, defaultServerRoot: STOCK });
    expect(extractSettings(bare.lines).pidFile).toBe('${APACHE_PID_FILE}');
    expect(bare.problems.some((p) => p.includes('APACHE_PID_FILE is not defined'))).toBe(true);
  });
});

describe('flattenConfig on a hand-written config', () => {
  const env = { HKAP_ROOT: CUSTOM, HKAP_EXTRA: join(CUSTOM, 'extra.conf') };
  const flat = flattenConfig(join(CUSTOM, 'httpd.conf'), { src: fsSource, env, defaultServerRoot: CUSTOM });
  const s = extractSettings(flat.lines);
  it('includes directories recursively and sorted, skips dotfiles, globs relative to ServerRoot', () => {
    const files = [...new Set(flat.lines.map((l) => l.file.slice(CUSTOM.length + 1)))];
    expect(files).toEqual(['conf.d/early.conf', 'httpd.conf', 'conf.d/a-status.conf', 'conf.d/sub/z-status.conf',
      'vhosts/one.conf', 'extra.conf']);
  });
  it('ignores missing IncludeOptional targets silently', () => {
    expect(flat.problems).toEqual([]);
  });
  it('takes the LAST server-status <Location> (as upstream), never a LocationMatch', () => {
    expect(s.statusLocation?.path).toBe('/hk-status');
    expect(s.statusLocation?.line).toBe(1);
  });
  it('joins continuation lines and keeps the Listen protocol', () => {
    expect(s.listen).toBe('127.0.0.1:8443');
    expect(s.listenProtocol).toBe('https');
    expect(s.port).toBe('8081');
    expect(s.pidFile).toBe('run/httpd.pid');
    expect(baseUrlFor(s, 8081)).toBe('https://127.0.0.1:8443');
  });
  it('reports a missing plain Include and an include loop', () => {
    const src = { ...fsSource, read: (p: string) => (p === '/x/a.conf' ? 'Include /x/a.conf\nInclude /x/none.conf\n' : undefined),
      kind: (p: string) => (p === '/x/a.conf' ? 'file' as const : undefined) };
    const r = flattenConfig('/x/a.conf', { src, env: {}, defaultServerRoot: '/x' });
    expect(r.problems.join('\n')).toMatch(/include loop/);
    expect(r.problems.join('\n')).toMatch(/none.conf: no such file/);
  });
});

describe('helpers', () => {
  it('splitArgs handles quotes like ap_getword_conf', () => {
    expect(splitArgs('"/a b" c \'d e\'  f')).toEqual(['/a b', 'c', 'd e', 'f']);
    expect(splitArgs('"/server-status">')).toEqual(['/server-status', '>']);
  });
  it('globPaths matches wildcards in any component, sorted', () => {
    expect(globPaths(join(CUSTOM, 'conf.d', '*.conf'), fsSource).map((p) => p.slice(CUSTOM.length + 1))).toEqual(['conf.d/a-status.conf', 'conf.d/early.conf']);
    expect(globPaths(join(CUSTOM, '*', 'one.conf'), fsSource).map((p) => p.slice(CUSTOM.length + 1))).toEqual(['vhosts/one.conf']);
  });
  it('baseUrlFor: bare port, wildcard address, IPv6 wildcard, no Listen', () => {
    const b = { serverRoot: undefined, pidFile: undefined, port: undefined, listenProtocol: undefined, statusLocation: undefined };
    expect(baseUrlFor({ ...b, listen: '8080' }, 80)).toBe('http://localhost:8080');
    expect(baseUrlFor({ ...b, listen: '0.0.0.0:81' }, 80)).toBe('http://localhost:81');
    expect(baseUrlFor({ ...b, listen: '[::]:82' }, 80)).toBe('http://[::1]:82');
    expect(baseUrlFor({ ...b, listen: undefined }, 8000)).toBe('http://localhost:8000');
    expect(baseUrlFor({ ...b, listen: '443' }, 80)).toBe('https://localhost:443');
  });
});
