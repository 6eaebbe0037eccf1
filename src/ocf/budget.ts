// The time an action may use: Pacemaker SIGKILLs the agent's process group at CRM_meta_timeout, so every wait
// and every child process is bounded by what is left, minus a margin to answer in time.
export interface Budget {
  readonly totalMs: number;
  readonly deadline: number; // epoch ms by which the agent must have answered
  remaining(): number; // ms left before the deadline (never negative)
  expired(): boolean;
}

// The reserve kept to report a result: 5% of the timeout, between 200 ms and 2 s.
export const marginFor = (totalMs: number): number => Math.min(2000, Math.max(200, Math.round(totalMs * 0.05)));

export const createBudget = (totalMs: number, now: () => number = Date.now): Budget => {
  const deadline = now() + totalMs - marginFor(totalMs);
  return {
    totalMs,
    deadline,
    remaining: () => Math.max(0, deadline - now()),
    expired: () => now() >= deadline,
  };
};

// CRM_meta_timeout in ms, or the action's declared default when Pacemaker sent none.
export const timeoutFromEnv = (env: NodeJS.ProcessEnv, defaultSeconds: number): number => {
  const raw = env.OCF_RESKEY_CRM_meta_timeout;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : defaultSeconds * 1000;
};

// Sleeps, but never past the budget; resolves false when the budget ran out.
export const sleepWithin = (budget: Budget, ms: number): Promise<boolean> => {
  const t = Math.min(ms, budget.remaining());
  return new Promise((resolve) => setTimeout(() => resolve(!budget.expired()), t));
};

// Polls `check` until it returns a value other than undefined, or the budget (or `limitMs`) runs out.
export const pollWithin = async <T>(
  budget: Budget,
  check: () => Promise<T | undefined>,
  opts: { intervalMs: number; limitMs?: number },
): Promise<T | undefined> => {
  const stopAt = Math.min(budget.deadline, opts.limitMs === undefined ? Infinity : Date.now() + opts.limitMs);
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    const left = stopAt - Date.now();
    if (left <= 0) return undefined;
    await new Promise((r) => setTimeout(r, Math.min(opts.intervalMs, left)));
  }
};
