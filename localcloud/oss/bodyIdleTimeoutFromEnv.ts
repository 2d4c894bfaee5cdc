/**
 * `LOCAL_OSS_BODY_TIMEOUT_SECONDS` → the OSS emulator's `bodyIdleTimeoutMs`: how long a PUT or
 * PostObject body may send nothing before it is dropped with RequestTimeout (unset: the
 * emulator's 5-minute default; 0: never). A malformed value throws one clear line.
 */
export function bodyIdleTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.LOCAL_OSS_BODY_TIMEOUT_SECONDS?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`LOCAL_OSS_BODY_TIMEOUT_SECONDS must be a number of seconds >= 0, got "${text}"`);
  return seconds * 1000;
}
