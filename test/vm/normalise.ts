// Normalisation of DRBD command output, shared by the real-kernel suite and the emulator conformance runs: keeps
// states, roles and structure; replaces what legitimately varies between runs (counters, progress, versions).

// Normalises one command's stdout or stderr.
export const normaliseOutput = (text: string): string =>
  text
    // /proc/drbd: build id, I/O counters, sync progress lines
    .replace(/^srcversion: .*$/gm, 'srcversion: <srcversion>')
    .replace(/\b(ns|nr|dw|dr|al|bm|lo|pe|ua|ap|ep|oos):\d+/g, '$1:<n>')
    .replace(/\bwo:[a-z]/g, 'wo:<w>')
    .replace(/^\s*\[[=>.]*\] sync'ed:.*\n?/gm, '')
    .replace(/^\s*finish: .*\n?/gm, '')
    // drbdadm/drbdsetup status: resync progress, statistics
    .replace(/\bdone:\d+(\.\d+)?/g, 'done:<pct>')
    .replace(/\b(received|sent|out-of-sync|pending|unacked|read|written|al-writes|bm-writes|upper-pending|lower-pending|size|resync-suspended-since|eta|dbdt1|dbdt2|dbdt)[:=]\d+(\.\d+)?/g, '$1:<n>')
    .replace(/\b(congested:)(yes|no)\s?/g, '')
    // kernel log style timestamps and minor numbers in error messages stay; trailing blanks do not
    .replace(/[ \t]+$/gm, '');
