import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvvars } from '../../../agents/apache/parse-envvars';
import { ROOT } from '../../helpers/dist';

const DEBIAN = readFileSync(join(ROOT, 'test', 'fixtures', 'apache', 'envvars-debian'), 'utf8');

describe('parseEnvvars (never a shell)', () => {
  it('reads Debian 12 envvars for the default instance', () => {
    const r = parseEnvvars(DEBIAN, {});
    expect(r.exported).toMatchObject({
      APACHE_RUN_USER: 'www-data', APACHE_RUN_GROUP: 'www-data', APACHE_PID_FILE: '/var/run/apache2/apache2.pid',
      APACHE_RUN_DIR: '/var/run/apache2', APACHE_LOCK_DIR: '/var/lock/apache2', APACHE_LOG_DIR: '/var/log/apache2', LANG: 'C',
    });
    expect(r.exported.SUFFIX).toBeUndefined(); // not exported
  });
  it('follows the multi-instance SUFFIX idiom from APACHE_CONFDIR=/etc/apache2-web', () => {
    const r = parseEnvvars(DEBIAN, { APACHE_CONFDIR: '/etc/apache2-web', HOME: '/root' });
    expect(r.exported.APACHE_PID_FILE).toBe('/var/run/apache2-web/apache2.pid');
    expect(r.exported.APACHE_LOG_DIR).toBe('/var/log/apache2-web');
    expect(r.exported.HOME).toBeUndefined(); // unset HOME
  });
  it('expands quotes and parameter operators', () => {
    const r = parseEnvvars([
      'A=one', "export B='$A literal'", 'export C="${A}-two"', 'export D=${UNSET:-dflt}', 'P=/x/y/z.pid',
      'export E=${P%/*} F=${P##*/}', 'export G=${P#/x}', 'export H=${P%%/*}', 'export A', 'export I="a b" # comment',
      'if [ -n "$A" ]; then export J=yes; else export J=no; fi',
      'if [ "$A" = nope ] ; then', '  export K=bad', 'elif [ "$A" != nope ]; then', '  export K=good', 'fi',
    ].join('\n'), {});
    expect(r.exported).toMatchObject({ A: 'one', B: '$A literal', C: 'one-two', D: 'dflt', E: '/x/y', F: 'z.pid', G: '/y/z.pid',
      H: '', I: 'a b', J: 'yes', K: 'good' });
  });
  it.each([
    ['export X=$(touch /tmp/hk-ap-pwned-1)', 'X'],
    ['export X=`touch /tmp/hk-ap-pwned-2`', 'X'],
    ['export X="$(touch /tmp/hk-ap-pwned-3)"', 'X'],
    ['touch /tmp/hk-ap-pwned-4; export Y=1', 'Z'],
  ])('never runs commands: %s', (line, name) => {
    const r = parseEnvvars(line, {});
    expect(r.exported[name]).toBeUndefined();
    expect(r.skipped.length).toBeGreaterThan(0);
    for (let i = 1; i <= 4; i++) expect(existsSync(`/tmp/hk-ap-pwned-${i}`)).toBe(false);
  });
  it('survives a 100 kB line and non-UTF-8 bytes', () => {
    const r = parseEnvvars(`export BIG=${'x'.repeat(100_000)}\nexport W=\u00ff\u00fe\n`, {});
    expect(r.exported.BIG).toHaveLength(100_000);
    expect(r.exported.W).toBe('\u00ff\u00fe');
  });
});
