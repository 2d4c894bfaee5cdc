/** Faults the emulator injects, for retry tests and benchmarks over a "bad network". */
export interface OssFaults {
  /** Added before every request is handled. */
  latencyMs: number;
  /** Upload bandwidth per connection, bytes/s; 0 = unlimited. */
  bytesPerSecPerConnection: number;
  /** Upload bandwidth shared by all connections, bytes/s; 0 = unlimited. */
  bytesPerSecTotal: number;
  /** Fraction of uploads (POST/PUT) answered with `failureStatus` and nothing stored. */
  failureRate: number;
  failureStatus: number;
  /** Fraction of uploads whose connection is destroyed halfway through the body. */
  cutRate: number;
  /** Fraction of uploads that stall: the emulator stops reading and never answers, until the client gives up. */
  stallRate: number;
  /**
   * The link goes down after carrying this many upload body bytes (counted over all uploads from
   * when this fault is set): from the chunk that would cross it, every upload connection is cut —
   * those in flight and every later one — until it is set again. A deterministic "the network
   * dropped mid-way". 0 = never.
   */
  linkDownAfterBytes: number;
  /** Source of randomness for the rates; injected so tests are deterministic. */
  random: () => number;
}

export const NO_FAULTS: OssFaults = {
  latencyMs: 0,
  bytesPerSecPerConnection: 0,
  bytesPerSecTotal: 0,
  failureRate: 0,
  failureStatus: 503,
  cutRate: 0,
  stallRate: 0,
  linkDownAfterBytes: 0,
  random: () => Math.random(),
};

type NumericFault = Exclude<keyof OssFaults, 'random'>;

/**
 * Environment variables → faults (only those set):
 *   OSS_FAULT_LATENCY_MS              latency added to every request, ms
 *   OSS_FAULT_BANDWIDTH_BPS           upload bytes/s per connection (0 = unlimited)
 *   OSS_FAULT_BANDWIDTH_TOTAL_BPS     upload bytes/s for all connections together (0 = unlimited)
 *   OSS_FAULT_FAILURE_RATE            0…1, fraction of uploads answered with an error
 *   OSS_FAULT_FAILURE_STATUS          that error's HTTP status, 400…599 (default 503)
 *   OSS_FAULT_CUT_RATE                0…1, fraction of uploads whose connection is cut mid-body
 *   OSS_FAULT_STALL_RATE              0…1, fraction of uploads that hang unanswered (client timeouts)
 *   OSS_FAULT_LINK_DOWN_AFTER_BYTES   upload bytes after which every upload connection is cut (0 = never)
 * A malformed value throws one clear line, so a typo stops startup instead of silently not faulting.
 */
export function ossFaultsFromEnv(env: NodeJS.ProcessEnv): Partial<OssFaults> {
  const spec: Array<[string, NumericFault, (n: number) => boolean, string]> = [
    ['OSS_FAULT_LATENCY_MS', 'latencyMs', (n) => n >= 0, 'a number of milliseconds >= 0'],
    ['OSS_FAULT_BANDWIDTH_BPS', 'bytesPerSecPerConnection', (n) => n >= 0, 'bytes per second >= 0'],
    ['OSS_FAULT_BANDWIDTH_TOTAL_BPS', 'bytesPerSecTotal', (n) => n >= 0, 'bytes per second >= 0'],
    ['OSS_FAULT_FAILURE_RATE', 'failureRate', (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1'],
    ['OSS_FAULT_FAILURE_STATUS', 'failureStatus', (n) => Number.isInteger(n) && n >= 400 && n <= 599, 'an HTTP status from 400 to 599'],
    ['OSS_FAULT_CUT_RATE', 'cutRate', (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1'],
    ['OSS_FAULT_STALL_RATE', 'stallRate', (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1'],
    ['OSS_FAULT_LINK_DOWN_AFTER_BYTES', 'linkDownAfterBytes', (n) => Number.isInteger(n) && n >= 0, 'a whole number of bytes >= 0'],
  ];
  const faults: Partial<OssFaults> = {};
  for (const [name, field, valid, expected] of spec) {
    const text = env[name]?.trim();
    if (!text) continue;
    const value = Number(text);
    if (!Number.isFinite(value) || !valid(value)) throw new Error(`${name} must be ${expected}, got "${text}"`);
    faults[field] = value;
  }
  return faults;
}
