/**
 * Timestamps written the way Go writes a UTC time.Time: String()
 * ("2026-11-28 14:52:22.246498944 +0000 UTC") and MarshalJSON (RFC 3339 with
 * trailing zeros of the fraction dropped). Nanoseconds are kept exactly.
 */

type Ts = { seconds: string | number; nanos: number } | null | undefined;

function parts(ts: Ts): { date: string; time: string; frac: string } {
  const secs = BigInt(ts ? String(ts.seconds || 0) : '-62135596800');
  const nanos = ts?.nanos ?? 0;
  const iso = new Date(Number(secs) * 1000).toISOString(); // exact to the second for any Go time we see
  const frac = nanos ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), frac };
}

/** Go's time.Time.String() of a UTC Timestamp (absent: the zero time). */
export function goTimeString(ts: Ts): string {
  const p = parts(ts);
  return `${p.date} ${p.time}${p.frac} +0000 UTC`;
}

/** Go's time.Time.MarshalJSON (RFC3339Nano) of a UTC Timestamp, without quotes. */
export function goRFC3339Nano(ts: Ts): string {
  const p = parts(ts);
  return `${p.date}T${p.time}${p.frac}Z`;
}
