/**
 * What plugins print: a result (passed to the next plugin as prevResult and
 * cached for DEL) or, on failure, a CNI error {code, msg, details}.
 */

/** A CNI result as plugins print it (only the parts ctrx reads are typed). */
export interface CniResult {
  cniVersion?: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  [key: string]: unknown;
}

/** A plugin's failure: its CNI error code, message and details. */
export class PluginError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly details = '',
  ) {
    super(details ? `${msg}; ${details}` : msg);
  }
}

/** The error a failed plugin reported: its JSON error on stdout, else what it wrote to stderr. */
export function pluginError(stdout: Buffer, stderr: Buffer, exit: string): PluginError {
  const text = stdout.toString('utf8').trim();
  if (!text) {
    const why = stderr.toString('utf8').trim();
    return new PluginError(0, why ? `netplugin failed: ${JSON.stringify(why)}` : `netplugin failed with no error message: ${exit}`);
  }
  try {
    const e = JSON.parse(text) as { code?: unknown; msg?: unknown; details?: unknown };
    const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
    return new PluginError(typeof e.code === 'number' ? e.code : 0, str(e.msg) || `netplugin failed with no error message: ${exit}`, str(e.details));
  } catch (err) {
    return new PluginError(0, `netplugin failed but error parsing its diagnostic message ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
}

/** An ADD's stdout as a result object. */
export function parseResult(stdout: Buffer): CniResult {
  const text = stdout.toString('utf8').trim();
  if (!text) throw new Error('plugin printed no result');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid result ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`invalid result ${JSON.stringify(text)}: not a JSON object`);
  return v as CniResult;
}

/** "1.0.0" >= "0.4.0", for the version-dependent parts of the protocol ("" counts as 0.1.0). */
export function versionAtLeast(version: string, min: string): boolean {
  const parse = (v: string) => (v || '0.1.0').split('.').map((n) => parseInt(n, 10) || 0);
  const [a, b] = [parse(version), parse(min)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
