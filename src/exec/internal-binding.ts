// Node's internal bindings (spawn_sync, pipe_wrap, tcp_wrap, stream_wrap, uv): what child_process and net.Socket
// are built on, used directly on the hot paths so those modules are not loaded. An internal binding given what it
// does not expect aborts the process, so they are used only on the Node majors the tests run (the pinned runtime
// and the system node); elsewhere, or when a binding is missing, this returns undefined and the caller uses the
// public module.
const TESTED_MAJORS = new Set(['20', '22', '24', '26']);

export const internalBinding = <T>(name: string): T | undefined => {
  if (!TESTED_MAJORS.has(process.versions.node.split('.')[0] ?? '')) return undefined;
  try {
    return (process as unknown as { binding?: (n: string) => unknown }).binding?.(name) as T | undefined;
  } catch {
    return undefined;
  }
};
