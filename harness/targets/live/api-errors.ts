/** The HTTP status of a failed API call, when it was one. */
export function codeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A failed API call in one line for the controller's log: status and the API's message. */
export function describeApiError(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e.code === 'number') {
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
    const message = /"message":\s*"([^"]*)"/.exec(body)?.[1];
    return `HTTP ${e.code}${message ? `: ${message}` : ''}`;
  }
  return e.message ?? String(err);
}
