import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Runner } from '../exec/run';
import { checkDrbdFile, drbdadmFor } from './drbd-check';
import type { Rendered } from './model';
import { renderCrm } from './render-crm';
import { pcsCommands } from './render-pcs';
import { renderXml } from './render-xml';
import { cliRunner, emptyCib, messages, onCib, readText, scratchDir, writeText } from './tools';

// `hakit template verify`: loads each form of a rendered template into its own scratch CIB with the real tools
// (crmsh for crm/crm-ms, pcs -f for pcs, cibadmin for XML), then brings the nodes online in the file
// (crm_simulate --node-up) and runs crm_verify. A form passes when every tool exits 0 and neither crmsh nor
// crm_verify prints an error or a warning (crmsh's "ms is deprecated" notice for the crm-ms form excepted).

export type VerifyForm = 'crm' | 'crm-ms' | 'pcs' | 'xml' | 'drbd';

export interface VerifyResult {
  readonly form: VerifyForm;
  readonly ok: boolean;
  readonly summary: string;
  readonly details: string[];
  readonly cib?: string; // the scratch CIB's text after loading
}

const EXPECTED_CRMSH = [/^WARNING: "ms" is deprecated/];
// pcs's notes about working offline, not about the configuration.
const EXPECTED_PCS = [/^Warning: Validation for node existence in the cluster will be skipped$/,
  /^Warning: Defaults do not apply to resources which override them with their own defined values$/];

const problems = (lines: string[], expected: RegExp[]) =>
  lines.filter((l) => /^(ERROR|WARNING|Error|Warning|Deprecation)|error:|warning:/i.test(l) && !expected.some((e) => e.test(l)));

// Loads one form into `cib`; returns the problems found (empty = loaded cleanly).
const loadForm = async (run: Runner, r: Rendered, form: VerifyForm, cib: string, dir: string): Promise<string[]> => {
  if (form === 'crm' || form === 'crm-ms') {
    const script = join(dir, `${form}.crm`);
    writeText(script, renderCrm(r.config, form));
    const res = await onCib(run, cib, 'crm', ['-D', 'plain', '-f', script, 'configure']);
    const bad = problems(messages(res), EXPECTED_CRMSH);
    return res.code === 0 ? bad : [`crm exited ${res.code}`, ...bad, ...(bad.length ? [] : messages(res))];
  }
  if (form === 'xml') {
    const xml = join(dir, 'configuration.xml');
    writeText(xml, renderXml(r.config));
    const res = await onCib(run, cib, 'cibadmin', ['--replace', '--scope', 'configuration', '--xml-file', xml]);
    return res.code === 0 ? [] : [`cibadmin --replace exited ${res.code}`, ...messages(res)];
  }
  for (const args of pcsCommands(r.config)) {
    const res = await run.run('pcs', ['-f', cib, ...args]);
    const bad = problems(messages(res), EXPECTED_PCS);
    if (res.code !== 0 || bad.length) return [`pcs ${args.slice(0, 3).join(' ')} … exited ${res.code}`, ...messages(res)];
  }
  return [];
};

// crm_verify on the loaded CIB with every node online; returns its complaints (empty = valid, no warnings).
export const verifyCib = async (run: Runner, cib: string, nodes: readonly string[], out: string): Promise<string[]> => {
  const up = nodes.flatMap((n) => ['--node-up', n]);
  const sim = await run.run('crm_simulate', ['--xml-file', cib, ...up, '--save-output', out]);
  if (sim.code !== 0) return [`crm_simulate --node-up exited ${sim.code}`, ...messages(sim)];
  const v = await run.run('crm_verify', ['--xml-file', out, '-V']);
  const lines = messages(v);
  return v.code === 0 && lines.length === 0 ? [] : [`crm_verify exited ${v.code}`, ...lines];
};

// Verifies each requested form; `keep` (a directory) receives each loaded form's CIB as <form>.cib.xml.
export const verifyRendered = async (r: Rendered, forms: readonly VerifyForm[], keep?: string, run: Runner = cliRunner())
  : Promise<VerifyResult[]> => {
  const { dir, cleanup } = scratchDir();
  try {
    // The forms load into separate files: run them side by side (pcs alone takes ~0.5 s per command).
    const results = await Promise.all(forms.map(async (form): Promise<VerifyResult> => {
      if (form === 'drbd') {
        const p = await checkDrbdFile(run, r, dir);
        return p.length ? { form, ok: false, summary: 'drbdadm refuses the resource file', details: p }
          : { form, ok: true, summary: `${basename(drbdadmFor(r.drbd.version))} dump accepts it as ${r.config.nodes.join(' and ')}`, details: [] };
      }
      const cib = join(dir, `${form}.cib.xml`);
      await emptyCib(run, cib);
      const loadProblems = await loadForm(run, r, form, cib, dir);
      if (loadProblems.length) return { form, ok: false, summary: 'not accepted when loading', details: loadProblems };
      const verifyProblems = await verifyCib(run, cib, r.config.nodes, join(dir, `${form}.up.xml`));
      if (verifyProblems.length) return { form, ok: false, summary: 'loaded, but crm_verify complains', details: verifyProblems };
      return { form, ok: true, summary: `loaded by ${form === 'pcs' ? 'pcs' : form === 'xml' ? 'cibadmin' : 'crmsh'}, crm_verify clean`,
        details: [], cib: readText(cib) };
    }));
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const res of results) if (res.cib) writeText(join(keep, `${res.form}.cib.xml`), res.cib);
    }
    return results;
  } finally {
    cleanup();
  }
};
