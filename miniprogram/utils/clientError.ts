/**
 * The one place that says which failures are worth another attempt: the network, timeouts, the
 * server's 5xx and 429 (rate limiting). Any other 4xx means the request itself is wrong, and
 * sending it again would only fail again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * The client's one error type: a string `code` (the API's or OSS's, or our own), the HTTP
 * `status` (0 when no answer came), whether trying again may help, and the `cause`.
 */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly cause?: unknown,
    readonly retryable: boolean = isRetryableStatus(status),
  ) {
    super(message);
    this.name = new.target.name;
  }
}
