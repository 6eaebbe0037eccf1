import { describe, expect, it } from 'vitest';
import { runAgent, type AgentIO } from '../../../src/ocf/dispatch';
import { ConfigError, GenericError, NotInstalledError } from '../../../src/ocf/errors';
import { OCF } from '../../../src/ocf/exit-codes';
import { defineAgent } from '../../../src/ocf/spec';
import { p } from '../../../src/ocf/params';
import type { LogSinks } from '../../../src/ocf/log';

// A tiny agent whose handlers record what they saw; the rows of the dispatch contract run against it.
const calls: string[] = [];
const spec = defineAgent({
  name: 'Probe',
  version: '1',
  shortdesc: 'test agent',
  longdesc: 'test agent <&> "quoted"',
  params: {
    name: p.string({ shortdesc: 's', longdesc: 'l', required: true }),
    count: p.integer({ shortdesc: 's', longdesc: 'l', default: 3, min: 1 }),
    flag: p.boolean({ shortdesc: 's', longdesc: 'l', default: false }),
    mode: p.select({ shortdesc: 's', longdesc: 'l', options: ['a', 'b'] as const, default: 'a' }),
  },
  actions: {
    start: { timeout: 20, validate: true, run: async (ctx) => { calls.push(`start ${ctx.params.name} ${ctx.params.count}`); return OCF.SUCCESS; } },
    stop: { timeout: 20, run: async () => { calls.push('stop'); return OCF.SUCCESS; } },
    monitor: { timeout: 20, meta: [{ interval: 10 }], run: async (ctx) => {
      if (ctx.params.name === 'throw-config') throw new ConfigError('bad config thrown');
      if (ctx.params.name === 'throw-generic') throw new GenericError('boom');
      if (ctx.params.name === 'throw-plain') throw new TypeError('x is undefined\n    at stack frame');
      ctx.reason('stopped for a reason');
      return OCF.NOT_RUNNING;
    } },
    'validate-all': { timeout: 20, validate: true, run: async () => OCF.SUCCESS },
  },
  validate: (ctx) => { if (ctx.params.name === 'invalid-here') throw new NotInstalledError('missing thing'); },
  onInvalidStop: async () => { calls.push('onInvalidStop'); },
});

const quietSinks = (): LogSinks => ({
  tag: 't', facility: undefined, logfile: undefined, debuglog: undefined, debug: false, tty: false,
  stderr: () => {}, now: () => new Date(0), syslog: () => {},
});

const run = async (action: string, env: Record<string, string> = {}) => {
  let out = '';
  let err = '';
  const io: AgentIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, sinks: quietSinks };
  const code = await runAgent(spec, action, env, io);
  const reason = /^ocf-exit-reason:(.*)$/m.exec(err)?.[1];
  return { code, out, err, reason };
};

describe('dispatch: the OCF contract', () => {
  it('meta-data and usage print to stdout without parameters and exit 0', async () => {
    const m = await run('meta-data');
    expect(m.code).toBe(0);
    expect(m.out).toContain('<resource-agent name="Probe"');
    expect(m.out).toContain('test agent &lt;&amp;&gt; &quot;quoted&quot;');
    expect((await run('usage')).out).toMatch(/^usage: Probe \{start\|stop\|monitor\|validate-all\|meta-data\}/);
  });

  it('an unknown action is 3 with usage on stderr', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(OCF.ERR_UNIMPLEMENTED);
    expect(r.out).toBe('');
    expect(r.err).toContain('usage: Probe');
    expect(r.reason).toContain('not implemented');
  });

  it('missing required parameter: start 6 with reason, stop 0 via onInvalidStop, probe 7, recurring monitor 1', async () => {
    calls.length = 0;
    const s = await run('start');
    expect(s.code).toBe(OCF.ERR_CONFIGURED);
    expect(s.reason).toBe('required parameter name is not set');
    expect((await run('stop')).code).toBe(OCF.SUCCESS);
    expect(calls).toEqual(['onInvalidStop']);
    const probe = await run('monitor', { OCF_RESKEY_CRM_meta_interval: '0' });
    expect(probe.code).toBe(OCF.NOT_RUNNING);
    expect(probe.reason).toBeUndefined();
    expect((await run('monitor', { OCF_RESKEY_CRM_meta_interval: '10000' })).code).toBe(OCF.ERR_GENERIC);
  });

  it('typed parameters: defaults, integers, select; a bad integer is 6 on start', async () => {
    calls.length = 0;
    expect((await run('start', { OCF_RESKEY_name: 'x' })).code).toBe(0);
    expect(calls).toEqual(['start x 3']);
    const bad = await run('start', { OCF_RESKEY_name: 'x', OCF_RESKEY_count: '3;reboot' });
    expect(bad.code).toBe(6);
    expect(bad.reason).toBe('parameter count="3;reboot" is not an integer');
    expect((await run('start', { OCF_RESKEY_name: 'x', OCF_RESKEY_count: '0' })).code).toBe(6);
    expect((await run('validate-all', { OCF_RESKEY_name: 'x', OCF_RESKEY_mode: 'c' })).code).toBe(6);
  });

  it('validate() runs for start and validate-all, not for monitor or stop', async () => {
    const env = { OCF_RESKEY_name: 'invalid-here' };
    expect((await run('start', env)).code).toBe(OCF.ERR_INSTALLED);
    expect((await run('validate-all', env)).reason).toBe('missing thing');
    expect((await run('monitor', env)).code).toBe(OCF.NOT_RUNNING);
    expect((await run('stop', env)).code).toBe(OCF.SUCCESS);
  });

  it('thrown errors map to their codes; anything else is 1 with a one-line reason, never a stack trace', async () => {
    expect((await run('monitor', { OCF_RESKEY_name: 'throw-generic', OCF_RESKEY_CRM_meta_interval: '1000' })).code).toBe(1);
    const plain = await run('monitor', { OCF_RESKEY_name: 'throw-plain', OCF_RESKEY_CRM_meta_interval: '1000' });
    expect(plain.code).toBe(1);
    expect(plain.reason).toBe('x is undefined');
    expect(plain.err).not.toContain('stack frame');
    // A config error thrown in a probe: not running, no reason (probes never fail for "cannot run here").
    const probe = await run('monitor', { OCF_RESKEY_name: 'throw-config' });
    expect(probe.code).toBe(7);
    expect(probe.reason).toBeUndefined();
  });

  it('ctx.reason is the exit reason of a recurring monitor, suppressed on a probe returning 7', async () => {
    expect((await run('monitor', { OCF_RESKEY_name: 'x', OCF_RESKEY_CRM_meta_interval: '1000' })).reason).toBe('stopped for a reason');
    expect((await run('monitor', { OCF_RESKEY_name: 'x' })).reason).toBeUndefined();
  });

  it('OCF_EXIT_REASON_PREFIX changes the prefix', async () => {
    const r = await run('start', { OCF_EXIT_REASON_PREFIX: 'WHY:' });
    expect(r.err).toContain('WHY:required parameter name is not set');
  });
});
