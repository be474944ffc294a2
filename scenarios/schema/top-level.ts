import type { ValidationIssue } from '../../harness/runner/errors.js';

const EXPECTED = 'a scenario is a mapping of fields: name, duration, cluster, workloads, autoscalers, ... (see scenarios/README.md)';

/**
 * Checks on what the whole document is, before any field is read: each names a kind of wrong file, so the user is
 * told "the file is empty" rather than "duration: required". The first that matches is the only problem reported.
 * Add a check here for a new kind of wrong file.
 */
const TOP_LEVEL_CHECKS: ReadonlyArray<(value: unknown) => string | null> = [
  (v) => (v === undefined || v === null ? `the file is empty; ${EXPECTED}` : null),
  (v) => (Array.isArray(v) ? `the top level is a list, not a mapping; ${EXPECTED}` : null),
  (v) => (typeof v !== 'object' ? `the top level is a ${typeof v} (${JSON.stringify(v)}), not a mapping; ${EXPECTED}` : null),
];

export function topLevelIssue(value: unknown): ValidationIssue | null {
  for (const check of TOP_LEVEL_CHECKS) {
    const message = check(value);
    if (message !== null) return { path: '', message };
  }
  return null;
}
