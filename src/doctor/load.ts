import { join } from 'node:path';
import type { Runner } from '../exec/run';
import { emptyCib, messages, onCib, readText, scratchDir, writeText } from '../templates/tools';

// Where doctor's CIB comes from: a CIB XML file, a crm configure script (turned into XML by crmsh itself, on a
// scratch CIB, even when the script would not commit), or the live cluster (cibadmin --query).

// A CIB XML file's text.
export const cibFromFile = (file: string): string => readText(file);

// Turns a crm configure script into CIB XML with crmsh (`show xml` on a scratch CIB).
export const cibFromCrm = async (run: Runner, crmFile: string): Promise<string> => {
  const { dir, cleanup } = scratchDir();
  try {
    const cib = join(dir, 'cib.xml');
    await emptyCib(run, cib);
    const script = join(dir, 'doctor.crm');
    writeText(script, `${readText(crmFile)}\nshow xml\n`);
    const r = await onCib(run, cib, 'crm', ['-D', 'plain', '-f', script, 'configure']);
    const start = r.stdout.indexOf('<cib');
    const end = r.stdout.lastIndexOf('</cib>');
    if (start < 0 || end < 0) throw new Error(`crmsh could not read ${crmFile}: ${messages(r).slice(0, 8).join(' / ')}`);
    return r.stdout.slice(start, end + '</cib>'.length);
  } finally {
    cleanup();
  }
};

// The running cluster's CIB.
export const cibLive = async (run: Runner): Promise<string> => {
  const r = await run.run('cibadmin', ['--query']);
  if (r.code !== 0) throw new Error(`cibadmin --query failed (is the cluster running here?): ${messages(r).join(' / ')}`);
  return r.stdout;
};
