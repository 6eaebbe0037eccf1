import { readFileSync } from 'node:fs';
import type { AgentContext } from '../../src/ocf/context';
import { ConfigError } from '../../src/ocf/errors';
import { OCF, type OcfExitCode } from '../../src/ocf/exit-codes';
import { indexAnswers, runHttpCheck, type HttpCheck } from './check-http';
import type { Instance } from './config';
import type { ApacheParams } from './params';
import { parseTestConf, testProblem } from './parse-testconf';
import { compileGrepRegex } from './regex';
import { runningPidWithRetry } from './status';

export type Ctx = AgentContext<ApacheParams>;

// A monitor's result: the code, why (for the exit reason), and whether the server refused the connection
// (start keeps polling on that while httpd opens its sockets).
export interface Verdict {
  code: OcfExitCode;
  reason?: string;
  refused?: boolean;
}

export const DEFAULT_TESTREGEX = '</ *html *>';

// A grep -Ei regex from a parameter; a bad one is a configuration error.
export const regexParam = (name: string, source: string): RegExp => {
  try {
    return compileGrepRegex(source);
  } catch (e) {
    throw new ConfigError(`${name} is not a valid regular expression: ${(e as Error).message}`, name);
  }
};

// The depth-10 test: a testconffile block, else testurl + testregex10; missing url or regex → 6 (as upstream).
export const depth10Check = (ctx: Ctx, inst: Instance): HttpCheck => {
  const p = ctx.params;
  let t = { url: p.testurl, match: p.testregex10, user: '', password: '' };
  if (p.testconffile) {
    let text: string;
    try {
      text = readFileSync(p.testconffile, 'utf8');
    } catch {
      throw new ConfigError(`testconffile ${p.testconffile} is not readable`, 'testconffile');
    }
    const r = parseTestConf(text, p.testname);
    if (!r.ok) throw new ConfigError(`testconffile ${p.testconffile}: ${r.error}`, 'testconffile');
    if (!r.test) throw new ConfigError(`testconffile ${p.testconffile}: no test ${p.testname ? JSON.stringify(p.testname) : 'block'} found`, 'testname');
    t = r.test;
    if (r.test.client || r.test.clientOpts) ctx.log.debug('testconffile client/client_opts ignored: the request is made in-process');
  }
  const problem = testProblem(t);
  if (problem) throw new ConfigError(problem);
  const url = /^http/.test(t.url) ? t.url : `${inst.baseUrl}${t.url}`;
  return { url, regex: regexParam('test regex', t.match), regexSource: t.match, what: 'test URL',
    auth: t.user ? { user: t.user, password: t.password } : undefined };
};

// Whether the user configured any check, which turns off upstream's "any answer from the index" fallback.
const anyCheckGiven = (ctx: Ctx): boolean =>
  ['testregex', 'testregex10', 'testurl', 'statusurl', 'testconffile'].some((k) => ctx.given.has(k));

// One monitor pass: process from the pidfile alive, then the HTTP check of the requested depth.
export const checkInstance = async (ctx: Ctx, inst: Instance, opts: { retryPidfile: boolean; deadline?: number }): Promise<Verdict> => {
  const pid = await runningPidWithRetry(inst, ctx.budget, opts.retryPidfile);
  if (pid === undefined) return { code: OCF.NOT_RUNNING, reason: 'httpd is not running' };
  const o = { deadline: opts.deadline ?? ctx.budget.deadline, useIpv6: ctx.params.use_ipv6 };
  const depth = Number.isFinite(ctx.checkLevel) && ctx.checkLevel >= 10 ? 10 : 0;
  if (depth === 10) {
    const v = await runHttpCheck(inst, depth10Check(ctx, inst), o);
    return v.ok ? { code: OCF.SUCCESS } : { code: OCF.ERR_GENERIC, reason: v.reason, refused: v.refused };
  }
  const source = ctx.params.testregex || DEFAULT_TESTREGEX;
  const check: HttpCheck = { url: inst.statusUrl, regex: regexParam('testregex', source), regexSource: source,
    what: inst.statusFromIndex ? 'index page (no server-status Location found)' : 'status page' };
  const v = await runHttpCheck(inst, check, o);
  if (v.ok) return { code: OCF.SUCCESS };
  if (inst.statusFromIndex && !anyCheckGiven(ctx) && !v.refused && (await indexAnswers(inst, o))) {
    ctx.log.debug(`${v.reason}; the server answers at ${inst.baseUrl}/, which counts as running (upstream fallback)`);
    return { code: OCF.SUCCESS };
  }
  return { code: OCF.ERR_GENERIC, reason: v.reason, refused: v.refused };
};
