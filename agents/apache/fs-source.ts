import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ConfigSource } from './parse-config';

const MAX_FILE = 8 * 1024 * 1024;

// The real file system as a ConfigSource (files larger than 8 MiB are treated as unreadable).
export const fsSource: ConfigSource = {
  read: (path) => {
    try {
      const st = statSync(path, { throwIfNoEntry: false });
      if (st === undefined || !st.isFile() || st.size > MAX_FILE) return undefined;
      return readFileSync(path, 'latin1');
    } catch {
      return undefined;
    }
  },
  kind: (path) => {
    try {
      // no exception for a missing path: building Error objects costs more than the whole parse
      const s = statSync(path, { throwIfNoEntry: false });
      return s === undefined ? undefined : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};
