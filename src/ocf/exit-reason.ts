// ocf_exit_reason: one stderr line "${OCF_EXIT_REASON_PREFIX:-ocf-exit-reason:}<text>" that crm_mon shows.
// The first reason of an invocation wins.
export interface ExitReason {
  set(msg: string): void;
  readonly value: string | undefined;
}

export const createExitReason = (env: NodeJS.ProcessEnv, write: (line: string) => void): ExitReason => {
  let value: string | undefined;
  return {
    set(msg: string) {
      if (value !== undefined) return;
      value = msg.replace(/[\r\n]+/g, ' ').trim();
      write(`${env.OCF_EXIT_REASON_PREFIX ?? 'ocf-exit-reason:'}${value}\n`);
    },
    get value() {
      return value;
    },
  };
};
