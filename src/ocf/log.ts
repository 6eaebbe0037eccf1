import { appendFileSync } from 'node:fs';
import { spawnSyncLean } from '../exec/spawn-sync';
import { isTerminal, writeFd } from './stdio';

export type LogLevel = 'debug' | 'info' | 'warn' | 'err' | 'crit';

// What ocf_log prints before the message, and the syslog priority it maps to.
const PRIO: Record<LogLevel, { label: string; syslog: string }> = {
  debug: { label: 'DEBUG', syslog: 'debug' },
  info: { label: 'INFO', syslog: 'info' },
  warn: { label: 'WARNING', syslog: 'warning' },
  err: { label: 'ERROR', syslog: 'err' },
  crit: { label: 'CRIT', syslog: 'crit' },
};

export interface Logger {
  readonly tag: string;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  err(msg: string): void;
  crit(msg: string): void;
  // Hands buffered syslog lines to logger(1); called once by runMain before exit.
  flush(): void;
}

export interface LogSinks {
  tag: string;
  facility: string | undefined; // syslog facility, undefined = no syslog
  logfile: string | undefined;
  debuglog: string | undefined;
  debug: boolean;
  tty: boolean;
  stderr: (line: string) => void;
  now: () => Date;
  syslog: (tag: string, facility: string, prio: string, lines: string[]) => void;
}

// The ocf_log sinks as ocf-shellfuncs chooses them from HA_LOGFACILITY, HA_LOGFILE, HA_DEBUGLOG and HA_debug.
export const sinksFromEnv = (agent: string, env: NodeJS.ProcessEnv): LogSinks => {
  const instance = env.OCF_RESOURCE_INSTANCE;
  const facility = env.HA_LOGFACILITY ?? env.PCMK_logfacility;
  const dbg = env.HA_debug ?? env.HA_DEBUG ?? env.PCMK_debug;
  return {
    tag: env.HA_LOGTAG || (instance ? `${agent}(${instance})[${process.pid}]` : `${agent}[${process.pid}]`),
    facility: facility && facility !== 'none' ? facility : undefined,
    logfile: env.HA_LOGFILE || undefined,
    debuglog: env.HA_DEBUGLOG || undefined,
    debug: !!dbg && !['0', 'no', 'false', 'off'].includes(dbg),
    tty: isTerminal(2), // not process.stderr.isTTY: creating the stream object costs milliseconds per call
    stderr: (line) => writeFd(2, `${line}\n`),
    now: () => new Date(),
    syslog: syslogViaLogger,
  };
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
// hadate with the default HA_DATEFMT "%b %d %T ".
const hadate = (d: Date) =>
  `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} `;

// One logger(1) call per priority present: syslog gets the lines without a spawn per message.
const syslogViaLogger = (tag: string, facility: string, prio: string, lines: string[]) => {
  spawnSyncLean('logger', ['-t', tag, '-p', `${facility}.${prio}`], {
    env: process.env, input: `${lines.join('\n')}\n`, timeoutMs: 2000, maxBuffer: 64 * 1024,
  });
};

// Messages never carry raw newlines into a log line.
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

export const createLogger = (sinks: LogSinks): Logger => {
  const pending = new Map<string, string[]>();
  const write = (level: LogLevel, raw: string) => {
    if (level === 'debug' && !sinks.debug) return;
    const msg = `${PRIO[level].label}: ${oneLine(raw)}`;
    if (sinks.tty) {
      sinks.stderr(`${sinks.tag}: ${msg}`);
      return;
    }
    if (sinks.facility) {
      const list = pending.get(PRIO[level].syslog) ?? [];
      list.push(msg);
      pending.set(PRIO[level].syslog, list);
    }
    const stamp = hadate(sinks.now());
    const line = `${stamp}${sinks.tag}:    ${msg}\n`;
    try {
      if (sinks.logfile && level !== 'debug') appendFileSync(sinks.logfile, line);
      if (sinks.debuglog && sinks.debuglog !== sinks.logfile) appendFileSync(sinks.debuglog, `${sinks.tag}:\t${stamp}${msg}\n`);
      else if (sinks.logfile && level === 'debug') appendFileSync(sinks.logfile, line);
    } catch {
      /* a log file we cannot write must not change the action's result */
    }
    if (!sinks.facility && !sinks.logfile) sinks.stderr(`${stamp}${sinks.tag}: ${msg}`);
  };
  return {
    tag: sinks.tag,
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    err: (m) => write('err', m),
    crit: (m) => write('crit', m),
    flush: () => {
      if (!sinks.facility) return;
      for (const [prio, lines] of pending) sinks.syslog(sinks.tag, sinks.facility, prio, lines);
      pending.clear();
    },
  };
};
