/** Saying plainly when the daemon is too old for a command. */
import type { Client } from './client';
import { isUnimplemented } from '../errdefs';

/**
 * Run fn; if the daemon does not implement the call, fail with a message that
 * names the command, the containerd release it needs and the daemon's version.
 */
export async function needsRelease<T>(client: Client, what: string, minimum: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isUnimplemented(err)) throw err;
    let running = 'an older release';
    try {
      const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
      running = v.version;
    } catch {
      // The version is only for the message.
    }
    throw new Error(`${what} needs containerd ${minimum} or newer; the daemon at ${client.address} runs ${running} (${err.method} is not implemented)`);
  }
}

/** The daemon's version as numbers ("1.6.20~ds1" -> [1, 6, 20]). */
export function parseVersion(v: string): number[] {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

/** a >= b for version number arrays. */
export function atLeast(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
