import { Option } from 'commander';
import type { CommandRegistrar } from './index';

// `hakit doctor [--cib FILE | --crm FILE | live]`: lint a cluster configuration.
// Exit codes: 0 no findings, 1 findings (or the CIB could not be read), 2 usage.

interface DoctorOpts { cib?: string; crm?: string; apacheConfig?: string; json?: boolean }

// Registers `hakit doctor`.
export const registerDoctor: CommandRegistrar = (program) => {
  program.command('doctor')
    .description('lint a CIB: DRBD notify/monitors/constraints, fencing, failback, apache status URL, legacy options, drbd meta-data')
    .argument('[source]', '"live" (default): the running cluster via cibadmin --query')
    .addOption(new Option('--cib <file>', 'a CIB XML file (cibadmin --query output, or a <configuration>)').conflicts('crm'))
    .addOption(new Option('--crm <file>', 'a crm configure script, turned into XML by crmsh on a scratch CIB').conflicts('cib'))
    .option('--apache-config <file>', 'read this apache configuration instead of the primitive\'s configfile')
    .option('--json', 'print the findings as JSON')
    .action(async (source: string | undefined, opts: DoctorOpts) => {
      if (source !== undefined && source !== 'live') {
        process.stderr.write(`hakit: doctor: unknown source ${JSON.stringify(source)} (use --cib FILE, --crm FILE or live)\n`);
        process.exitCode = 2;
        return;
      }
      if (source === 'live' && (opts.cib || opts.crm)) {
        process.stderr.write('hakit: doctor: live and --cib/--crm exclude each other\n');
        process.exitCode = 2;
        return;
      }
      const [{ cliRunner }, load, { lintCib }, { formatFinding }] = await Promise.all([
        import('../../templates/tools'), import('../../doctor/load'), import('../../doctor/lint'), import('../../doctor/finding'),
      ]);
      const run = cliRunner(120_000);
      let xml: string;
      try {
        xml = opts.cib ? load.cibFromFile(opts.cib) : opts.crm ? await load.cibFromCrm(run, opts.crm) : await load.cibLive(run);
      } catch (e) {
        process.stderr.write(`hakit: doctor: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
        return;
      }
      const report = await lintCib(xml, { run, ...(opts.apacheConfig ? { apacheConfig: opts.apacheConfig } : {}) });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        for (const f of report.findings) process.stdout.write(`${formatFinding(f)}\n`);
        for (const n of report.notes) process.stdout.write(`note: ${n}\n`);
        process.stdout.write(report.findings.length ? `${report.findings.length} finding(s)\n` : 'no findings\n');
      }
      if (report.findings.length) process.exitCode = 1;
    });
};
