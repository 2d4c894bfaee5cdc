/** The code and reason a failed result carries, from any error (ours carry a `code`). */
export function describeError(error: unknown): { code: string; reason: string } {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' && e.code ? e.code : 'unknown_error';
  const reason = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return { code, reason };
}
