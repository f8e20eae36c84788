// Number formatting for the page. Pure: no DOM, tested by tests/format.test.mjs.

// ------------------------------------------------------------ formatting

export const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function count(v) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  const a = Math.abs(v);
  return a >= 100 ? int.format(v) : a >= 10 ? one.format(v) : two.format(v);
}
export function money(v) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  if (a >= 1e9) return sign + '$' + one.format(a / 1e9) + 'B';
  if (a >= 1e6) return sign + '$' + one.format(a / 1e6) + 'M';
  if (a >= 1e4) return sign + '$' + int.format(a / 1e3) + 'K';
  if (a >= 100) return sign + '$' + int.format(a);
  return sign + '$' + two.format(a);
}
export function pct(v) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  const p = v * 100;
  return (p > 0 && p < 10 ? one.format(p) : int.format(p)) + '%';
}
export function range(r, f) {
  return r.high > r.low ? f(r.low) + '–' + f(r.high) : '';
}
/** Parses a typed number: commas, spaces and underscores allowed. '' -> null, junk -> NaN. */
export function parseNum(s) {
  const t = String(s).replace(/[\s,_]/g, '');
  if (t === '') return null;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

export function interval90(q) {
  return q.p95 > q.p5 ? '90%: ' + money(q.p5) + '–' + money(q.p95) : '';
}

/** A number for an input field: thousands separators, up to six significant digits. */
export function inputNumber(v) {
  const digits = Math.abs(v) >= 1e5 ? 0 : Math.max(0, 5 - Math.floor(Math.log10(Math.max(Math.abs(v), 1e-9))));
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.min(digits, 4) }).format(v);
}
