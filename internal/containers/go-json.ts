/** JSON text as Go's encoding/json writes it: compact (or MarshalIndent's with indent), with <, >, & and U+2028/9 escaped. */
export function goJSON(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's time.Time String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function goTimeString(ts: { seconds: string | number; nanos: number }): string {
  const base = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const frac = ts.nanos ? '.' + String(ts.nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac} +0000 UTC`;
}
