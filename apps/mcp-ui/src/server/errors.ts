/** An error as log fields: name and message (openid-client errors carry no tokens in these; bodies are not logged). */
export function describeError(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; code?: string; error?: string };
  return { error: e?.name ?? 'Error', message: e?.message ?? String(error), ...(e?.code ? { code: e.code } : {}), ...(e?.error ? { oauthError: e.error } : {}) };
}
