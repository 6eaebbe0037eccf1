import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInstance } from '../../../agents/apache/config';
import { ROOT } from '../../helpers/dist';

// The parse cache must never serve a stale answer: any change in a file read, a directory listed or a path that
// was missing makes it parse again.
const work = mkdtempSync(join(tmpdir(), 'hk-ap-cache-'));
const conf = join(work, 'custom');
const rsctmp = join(work, 'rsctmp');
cpSync(join(ROOT, 'test', 'fixtures', 'apache', 'custom'), conf, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = { HKAP_ROOT: conf, HKAP_EXTRA: join(conf, 'extra.conf'), HA_RSCTMP: rsctmp, HA_VARRUN: work };
const params = { httpd: '/usr/sbin/apache2', configfile: join(conf, 'httpd.conf'), port: undefined, statusurl: '', envfiles: '' };
const resolve = (e: NodeJS.ProcessEnv = env) => resolveInstance(params, e, 'cachetest');

describe('config parse cache', () => {
  it('stores a parse and serves the same answer', () => {
    const a = resolve();
    expect(readdirSync(rsctmp).filter((f) => f.startsWith('hakit-apache-cachetest-'))).toHaveLength(1);
    expect(resolve()).toEqual(a);
    expect(a.statusUrl).toBe('https://127.0.0.1:8443/hk-status');
  });
  it('a changed included file is seen', () => {
    writeFileSync(join(conf, 'conf.d', 'sub', 'z-status.conf'), '<Location /changed>\nSetHandler server-status\n</Location>\n');
    utimesSync(join(conf, 'conf.d', 'sub', 'z-status.conf'), new Date(), new Date(Date.now() + 5000));
    expect(resolve().statusUrl).toBe('https://127.0.0.1:8443/changed');
  });
  it('a new file in an included directory is seen', () => {
    writeFileSync(join(conf, 'conf.d', 'zz-late.conf'), '<Location /later>\nSetHandler server-status\n</Location>\n');
    expect(resolve().statusUrl).toBe('https://127.0.0.1:8443/later');
  });
  it('a file appearing where an IncludeOptional found nothing is seen', () => {
    writeFileSync(join(conf, 'does-not-exist.conf'), '<Location /optional>\nSetHandler server-status\n</Location>\n');
    expect(resolve().statusUrl).toBe('https://127.0.0.1:8443/optional');
  });
  it('per-operation CRM_meta_* are not part of the key; another environment replaces the entry', () => {
    const files = () => readdirSync(rsctmp).filter((f) => f.endsWith('.json'));
    const a = resolve({ ...env, OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000' });
    const first = files();
    expect(first).toHaveLength(1);
    const b = resolve({ ...env, HKAP_EXTRA: join(conf, 'vhosts', 'one.conf') });
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(first);
    expect(b.statusUrl).toBe(a.statusUrl);
  });
});
