import { constants } from 'node:os';

// A signal to send, by number, with the name logs show.
export interface SignalSpec {
  readonly name: string;
  readonly num: number;
}

const BY_NAME = constants.signals as Record<string, number>;

// Parses term_signals/kill_signals: whitespace-separated names (TERM, SIGTERM) or numbers (15); throws on others.
export const parseSignals = (raw: string, param: string): SignalSpec[] => {
  const words = raw.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new Error(`${param} is empty`);
  if (words.length > 16) throw new Error(`${param} lists more than 16 signals`);
  return words.map((w) => {
    if (/^\d{1,2}$/.test(w)) {
      const num = Number(w);
      if (num < 1 || num > 64) throw new Error(`${param}: ${w} is not a signal number`);
      const name = Object.keys(BY_NAME).find((k) => BY_NAME[k] === num) ?? `SIG${num}`;
      return { name, num };
    }
    const up = w.toUpperCase();
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    const num = Object.prototype.hasOwnProperty.call(BY_NAME, name) ? BY_NAME[name] : undefined;
    if (num === undefined || !/^SIG[A-Z0-9]+$/.test(name)) throw new Error(`${param}: ${JSON.stringify(w.slice(0, 20))} is not a signal`);
    return { name, num };
  });
};

// Parses signal_delay: seconds, a non-negative decimal up to 60.
export const parseDelay = (raw: string): number => {
  const s = raw.trim();
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(s) || Number(s) > 60) throw new Error(`signal_delay=${JSON.stringify(s.slice(0, 20))} is not a number of seconds between 0 and 60`);
  return Number(s);
};

// force_unmount as upstream reads it: true spellings, safe, move, else false; plus HEAD's ",move"/",nomove" modifiers.
export type ForceUnmount = 'true' | 'safe' | 'false' | 'move';
export const parseForceUnmount = (raw: string): ForceUnmount | undefined => {
  const [head = '', ...mods] = raw.trim().split(',').map((x) => x.trim());
  let mode: ForceUnmount | undefined;
  if (['yes', 'true', '1', 'YES', 'TRUE', 'True', 'ja', 'on', 'ON'].includes(head)) mode = 'true';
  else if (['no', 'false', '0', 'NO', 'FALSE', 'False', 'nein', 'off', 'OFF'].includes(head)) mode = 'false';
  else if (head === 'safe' || head === 'move') mode = head;
  if (mode === undefined) return undefined;
  for (const m of mods) {
    if (m === 'move' && mode !== 'false') mode = 'move';
    else if (m === 'nomove' && mode === 'move') mode = 'safe';
    else if (!['xargs', 'noxargs', 'ps', 'nops'].includes(m)) return undefined;
  }
  return mode;
};
