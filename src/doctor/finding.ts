// A lint finding: which rule, how bad, what is wrong, where (element and line), and how to fix it.
export type Severity = 'error' | 'warning';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly element: string; // e.g. "primitive res_drbd", "nvpair default-action-timeout"
  readonly line: number; // line in the CIB XML (0 = unknown)
  readonly message: string;
  readonly fix: string;
}

// One finding as text: `line N: element: [rule] severity: message` + the fix.
export const formatFinding = (f: Finding): string =>
  `${f.line ? `line ${f.line}: ` : ''}${f.element}: [${f.rule}] ${f.severity}: ${f.message}\n    fix: ${f.fix}`;
