/** One broken invariant found in a run's log or results. */
export interface Violation {
  /** ms since the run's epoch of the event that broke it. */
  t: number;
  arm: string;
  /** What broke it: `pod web-12 -> node ip-10-0-1-5`, `node web-3`, `nodepool default`, `results.json`. */
  subject: string;
  /** The invariant, in a few words: `over-commit`, `taint`, `topology spread`, `nodepool limits`... */
  rule: string;
  /** The numbers: what was there against what was allowed. */
  detail: string;
}

/** One line per violation: time, arm, subject, rule, numbers. */
export function formatViolation(v: Violation): string {
  return `t=${(v.t / 1000).toFixed(3)}s ${v.arm}: ${v.subject}: ${v.rule}: ${v.detail}`;
}
