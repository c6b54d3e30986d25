/** Go-style durations ("10s", "1m30s", "500ms"), as ctr's flags take them. */

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parse a Go duration into milliseconds; throws on anything Go would reject. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let sign = 1;
  let i = 0;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  re.lastIndex = i;
  while (re.lastIndex < s.length) {
    const m = re.exec(s);
    if (!m) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
    total += parseFloat(m[1]) * UNITS[m[2]];
  }
  return sign * total;
}

/** Format milliseconds the way Go prints a duration (1h2m3.5s, 250ms). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) {
    const out = rest >= 1 ? `${+rest.toFixed(3)}ms` : rest >= 1e-3 ? `${+(rest * 1e3).toFixed(3)}µs` : `${Math.round(rest * 1e6)}ns`;
    return (neg ? '-' : '') + out;
  }
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = +(rest / 1000).toFixed(9);
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
