/**
 * What every command shares: the global flags, opening the one client of a
 * command, and printing. Handlers get their client through withClient so that
 * the channel is always closed and the deadline covers the whole command.
 */
import type { Argv } from 'yargs';
import type { Client } from '../internal/client/client';
import { UsageError } from '../internal/errdefs';
import { parseDuration } from '../internal/util/duration';

export const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';
export const DEFAULT_NAMESPACE = 'default';

/** The global flags, as ctr names them. */
export interface GlobalArgs {
  address: string;
  namespace: string;
  timeout: string;
  'connect-timeout': string;
  debug: boolean;
}

/** Register the global flags on the app (they are accepted before or after the command word). */
export function withGlobalFlags<T>(y: Argv<T>) {
  return y
    .option('address', {
      alias: 'a',
      type: 'string',
      global: true,
      default: process.env.CONTAINERD_ADDRESS || DEFAULT_ADDRESS,
      defaultDescription: `"${DEFAULT_ADDRESS}", env $CONTAINERD_ADDRESS`,
      describe: "Address for containerd's GRPC server",
    })
    .option('namespace', {
      alias: 'n',
      type: 'string',
      global: true,
      default: process.env.CONTAINERD_NAMESPACE || DEFAULT_NAMESPACE,
      defaultDescription: `"${DEFAULT_NAMESPACE}", env $CONTAINERD_NAMESPACE`,
      describe: 'Namespace to use with commands',
    })
    .option('timeout', { type: 'string', global: true, default: '0s', describe: 'Total timeout for ctrx commands' })
    .option('connect-timeout', { type: 'string', global: true, default: '0s', describe: 'Timeout for connecting to containerd' })
    .option('debug', { type: 'boolean', global: true, default: false, describe: 'Enable debug output (stack traces on errors)' });
}

function durationFlag(name: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new UsageError(`invalid value ${JSON.stringify(value)} for flag --${name}: ${(e as Error).message}`);
  }
}

/** Open the command's client, run fn, and close the client whatever happens. */
export async function withClient<T>(argv: GlobalArgs, fn: (client: Client) => Promise<T>): Promise<T> {
  const timeoutMs = durationFlag('timeout', argv.timeout);
  const connectTimeoutMs = durationFlag('connect-timeout', argv['connect-timeout']);
  const { Client } = await import('../internal/client/client');
  const client = new Client({ address: argv.address, namespace: argv.namespace, timeoutMs, connectTimeoutMs });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Write text to stdout (buffered by Node; main waits for it to drain). */
export function out(text: string): void {
  process.stdout.write(text);
}

/** ctr's PrintAsJSON: four-space indented JSON and a newline. */
export function printJSON(value: unknown): void {
  out(JSON.stringify(value, null, 4) + '\n');
}

/** `k=v` arguments as a label map (ctr's LabelArgs: the first '=' splits, no '=' means an empty value). */
export function labelArgs(args: readonly string[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const a of args ?? []) {
    const i = a.indexOf('=');
    if (i < 0) labels[a] = '';
    else labels[a.slice(0, i)] = a.slice(i + 1);
  }
  return labels;
}

/** Labels as ctr prints them: sorted k=v joined with ',' (or `empty` when there are none). */
export function formatLabels(labels: Record<string, string> | null | undefined, empty = '-'): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return empty;
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The --format flag of commands that print objects. */
export function withFormat<T>(y: Argv<T>, choices: string[] = ['table', 'json'], def = 'table') {
  return y.option('format', { type: 'string', choices, default: def, describe: 'Output format' });
}

/** Positional strings, checked to be present. */
export function requireArgs(values: unknown, what: string, min = 1): string[] {
  const list = (Array.isArray(values) ? values : values === undefined ? [] : [values]).map(String);
  if (list.length < min) throw new UsageError(`${what} must be provided`);
  return list;
}
