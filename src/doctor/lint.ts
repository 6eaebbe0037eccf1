import type { Runner } from '../exec/run';
import { parseCib, type Cib } from './cib';
import { metadataDefects } from './drbd-metadata';
import type { Finding } from './finding';
import { checkApacheStatus, type ApacheOptions } from './rules-apache';
import { checkFailback, checkLegacyOptions, checkStonith } from './rules-cluster';
import { checkDrbdConstraints, checkDrbdMonitors, checkDrbdNotify } from './rules-drbd';

// `hakit doctor`: every rule over one CIB. The meta-data check runs the installed agent (OCF_ROOT layout).

export interface LintOptions extends ApacheOptions {
  readonly run?: Runner; // to read installed agents' meta-data; without it that rule is skipped
  readonly ocfRoot?: string;
}

export interface LintReport {
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}

const checkLinbitMetadata = async (cib: Cib, opts: LintOptions): Promise<{ findings: Finding[]; notes: string[] }> => {
  const users = cib.primitives.filter((p) => p.cls === 'ocf' && p.provider === 'linbit' && p.type === 'drbd');
  if (!users.length || !opts.run) return { findings: [], notes: [] };
  const root = opts.ocfRoot ?? '/usr/lib/ocf';
  const r = await opts.run.run(`${root}/resource.d/linbit/drbd`, ['meta-data'], { env: { OCF_ROOT: root } });
  if (r.code !== 0 || !r.stdout.includes('<resource-agent')) {
    return { findings: [], notes: [`ocf:linbit:drbd is not installed here (${root}); its meta-data was not checked`] };
  }
  const defects = metadataDefects(r.stdout);
  if (!defects.length) return { findings: [], notes: [] };
  return {
    findings: users.map((p) => ({
      rule: 'drbd-metadata', severity: 'warning' as const, element: `primitive ${p.id}`, line: p.line,
      message: `the installed ocf:linbit:drbd meta-data is not valid OCF 1.1 (${defects.length} defects: ${defects.slice(0, 3).join('; ')}${defects.length > 3 ? '; …' : ''}): pcs versions that check agents against the OCF schema refuse it without --force (LINBIT/drbd-utils#18, pcs#441; pcs 0.11.5 of Debian 12 still takes it)`,
      fix: `use ocf:hakit:drbd (same parameters, valid OCF 1.1 meta-data) for ${p.id}`,
    })),
    notes: [],
  };
};

// Lints CIB XML text.
export const lintCib = async (xml: string, opts: LintOptions = {}): Promise<LintReport> => {
  const cib = parseCib(xml);
  const apache = checkApacheStatus(cib, opts);
  const meta = await checkLinbitMetadata(cib, opts);
  const findings = [
    ...checkLegacyOptions(cib),
    ...checkStonith(cib),
    ...checkDrbdNotify(cib),
    ...checkDrbdMonitors(cib),
    ...checkDrbdConstraints(cib),
    ...checkFailback(cib),
    ...apache.findings,
    ...meta.findings,
  ].sort((a, b) => a.line - b.line);
  return { findings, notes: [...apache.notes, ...meta.notes] };
};
