import type { Figure } from './figures';
import type { BenchSettings } from './settings';
import type { Stack, StoreKind } from '../testkit/startStack';

/** What one measurement hands back to the report. */
export interface SectionResult {
  figures: Figure[];
  /** Raw numbers behind the rows (samples summaries, counters), for the JSON. */
  details: Record<string, unknown>;
  /** How it was measured, in a sentence or two, for the JSON. */
  method: string;
}

export interface BenchContext {
  settings: BenchSettings;
  /** Environment for the API's configuration (both the stack's and the child's). */
  env: Record<string, string>;
  /** Starts a stack on the given store; the caller closes it. */
  startStack(kind: StoreKind): Promise<Stack>;
  /** Where PostgreSQL is, or why not. */
  postgres: { url: string } | { skipped: string };
  /** Scratch space for generated files (removed at the end of the run). */
  workDir: string;
  /** Extra Node flags for the API's child process (e.g. --cpu-prof when profiling). */
  apiNodeArgs: string[];
  log(line: string): void;
}
