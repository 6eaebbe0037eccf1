// node:child_process, loaded on first use. The query tools (drbdsetup role, events2, drbdadm dstate...) never start a
// process, and loading it (with the stream modules it pulls in) costs each of their calls milliseconds.
export const childProcess = (): typeof import('node:child_process') => require('node:child_process') as typeof import('node:child_process');
