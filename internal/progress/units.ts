/**
 * Sizes and ages as ctr prints them: pkg/progress.Bytes (binary units, one
 * decimal), go-units HumanSize (decimal units, 4 significant digits) and
 * HumanDuration ("Less than a second", "4 minutes").
 */

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

function scale(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]];
}

/** ctr's progress.Bytes: "1004.6 KiB", "405.0 B". */
export function bytes(n: number): string {
  const [v, u] = scale(n, 1024, BINARY);
  return `${v.toFixed(1)} ${u}`;
}

/** Go's %.4g: four significant digits, trailing zeros dropped, exponent form for large exponents. */
function goG4(v: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 4) {
    const [m, e] = v.toExponential(3).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = v.toPrecision(4);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** go-units HumanSize: "213B", "1.052MB". */
export function humanSize(n: number): string {
  const [v, u] = scale(n, 1000, DECIMAL);
  return `${goG4(v)}${u}`;
}

/** go-units HumanDuration of a span in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3600000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

/** Seconds with one decimal, as ctr's progress footer shows elapsed time. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** Go's t.Local().Format(time.RFC3339): local time, seconds, "Z" or ±hh:mm. */
export function localRFC3339(d: Date): string {
  const off = -d.getTimezoneOffset();
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  if (off === 0) return `${base}Z`;
  const a = Math.abs(off);
  return `${base}${off < 0 ? '-' : '+'}${p(Math.trunc(a / 60))}:${p(a % 60)}`;
}
