// Small statistics for the bench: summaries of samples and of interleaved ratios.
export const sorted = (values) => [...values].sort((a, b) => a - b);

export function percentile(values, p) {
  const s = sorted(values);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const round = (value, digits) => (value === null ? null : Number(value.toFixed(digits)));

// median / min / max / n, rounded for printing.
export function summary(values, digits = 2) {
  const s = sorted(values);
  return { median: round(percentile(s, 50), digits), min: round(s[0] ?? null, digits), max: round(s.at(-1) ?? null, digits), n: s.length };
}
