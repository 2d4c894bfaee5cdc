/**
 * One row of the bench's table: a measured value, the baseline or limit it is compared with (measured
 * in the same run), their ratio, and the target when the issue sets one.
 */
export interface Figure {
  section: SectionName;
  /** Stable key for the JSON, e.g. `hashing.fallback.speed`. */
  id: string;
  label: string;
  unit: string;
  /** null when the row could not be measured (see `skipped`). */
  value: number | null;
  baseline: { label: string; value: number | null; unit: string };
  /** value ÷ baseline; null when skipped. */
  ratio: number | null;
  target?: { text: string; met: boolean | null };
  /** Why the row has no value (e.g. PostgreSQL unreachable). */
  skipped?: string;
  note?: string;
}

export const SECTIONS = ['hashing', 'upload', 'reupload', 'throughput', 'database', 'relay', 'verify', 'video'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface FigureInput {
  section: SectionName;
  id: string;
  label: string;
  unit: string;
  value: number;
  baseline: { label: string; value: number; unit?: string };
  /** A predicate on the measured figure; `text` is what the table shows. */
  target?: { text: string; met: (f: { value: number; ratio: number }) => boolean };
  note?: string;
}

export function figure(input: FigureInput): Figure {
  const ratio = input.baseline.value === 0 ? (input.value === 0 ? 1 : Number.POSITIVE_INFINITY) : input.value / input.baseline.value;
  return {
    section: input.section,
    id: input.id,
    label: input.label,
    unit: input.unit,
    value: input.value,
    baseline: { label: input.baseline.label, value: input.baseline.value, unit: input.baseline.unit ?? input.unit },
    ratio,
    target: input.target && { text: input.target.text, met: input.target.met({ value: input.value, ratio }) },
    note: input.note,
  };
}

/** A row that could not be measured, kept in the table so its absence is visible. */
export function skippedFigure(input: Omit<FigureInput, 'value' | 'baseline' | 'target'> & { baselineLabel: string; targetText?: string; reason: string }): Figure {
  return {
    section: input.section,
    id: input.id,
    label: input.label,
    unit: input.unit,
    value: null,
    baseline: { label: input.baselineLabel, value: null, unit: input.unit },
    ratio: null,
    target: input.targetText === undefined ? undefined : { text: input.targetText, met: null },
    skipped: input.reason,
    note: input.note,
  };
}
