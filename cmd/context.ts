/**
 * What every command shares: the global flags, opening the one client of a
 * command, and printing. Handlers get their client through withClient so that
 * the channel is always closed and the deadline covers the whole command.
 */
import type { Argv } from 'yargs';
import type { Client, CallTracer } from '../internal/client/client';
import { UsageError } from '../internal/errdefs';
import { parseDuration } from '../internal/util/duration';

export const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';
export const DEFAULT_NAMESPACE = 'default';

/** The global flags, as ctr names them (and ctrx's own: --trace, --lease). */
export interface GlobalArgs {
  address: string;
  namespace: string;
  timeout: string;
  'connect-timeout': string;
  debug: boolean;
  trace?: boolean;
  'trace-format'?: string;
  lease?: string;
}

/**
 * A running `ctrx shell`: the client its commands share, and the global flags
 * it was started with (the defaults of every command line).
 */
export interface Session {
  client: Client;
  defaults: Partial<Pick<GlobalArgs, 'address' | 'namespace' | 'timeout' | 'connect-timeout' | 'debug' | 'trace' | 'trace-format' | 'lease'>>;
  /** The client of the command that runs now (for Ctrl-C). */
  current?: Client;
}

let session: Session | undefined;

/** Make withClient hand out clients over the session's connection (undefined ends it). */
export function setSession(s: Session | undefined): void {
  session = s;
}

/** The running shell session, if any. */
export function currentSession(): Session | undefined {
  return session;
}

let lastArgs: string[] = [];

/** The arguments of the command line being run, as given (before yargs; for `__complete`). */
export function rawArgs(): string[] {
  return lastArgs;
}

/**
 * Arguments as yargs should see them: `--trace=FORMAT` becomes `--trace
 * --trace-format=FORMAT`, so that a bare `--trace` never takes the command
 * word as its value. Nothing after `--` is touched.
 */
export function normalizeArgs(args: readonly string[]): string[] {
  lastArgs = [...args];
  const out: string[] = [];
  let rest = false;
  for (const a of args) {
    if (!rest && a.startsWith('--trace=')) out.push('--trace', `--trace-format=${a.slice('--trace='.length)}`);
    else out.push(a);
    if (a === '--') rest = true;
  }
  return out;
}

/** Register the global flags on the app (they are accepted before or after the command word). */
export function withGlobalFlags<T>(y: Argv<T>) {
  const d = session?.defaults ?? {};
  return y
    .option('address', {
      alias: 'a',
      type: 'string',
      global: true,
      default: d.address ?? (process.env.CONTAINERD_ADDRESS || DEFAULT_ADDRESS),
      defaultDescription: `"${DEFAULT_ADDRESS}", env $CONTAINERD_ADDRESS`,
      describe: "Address for containerd's GRPC server",
    })
    .option('namespace', {
      alias: 'n',
      type: 'string',
      global: true,
      default: d.namespace ?? (process.env.CONTAINERD_NAMESPACE || DEFAULT_NAMESPACE),
      defaultDescription: `"${DEFAULT_NAMESPACE}", env $CONTAINERD_NAMESPACE`,
      describe: 'Namespace to use with commands',
    })
    .option('timeout', { type: 'string', global: true, default: d.timeout ?? '0s', describe: 'Total timeout for ctrx commands' })
    .option('connect-timeout', { type: 'string', global: true, default: d['connect-timeout'] ?? '0s', describe: 'Timeout for connecting to containerd' })
    .option('debug', { type: 'boolean', global: true, default: d.debug ?? false, describe: 'Enable debug output (stack traces on errors)' })
    .option('trace', {
      type: 'boolean',
      global: true,
      default: d.trace ?? false,
      describe: 'Show every RPC on stderr: method, metadata, request, response, status, duration (--trace=json for JSON lines)',
    })
    .option('trace-format', { type: 'string', global: true, hidden: true, choices: ['text', 'json'], default: d['trace-format'] ?? 'text' })
    .option('lease', { type: 'string', global: true, default: d.lease, describe: 'Send this lease (containerd-lease) with every call' });
}

function durationFlag(name: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new UsageError(`invalid value ${JSON.stringify(value)} for flag --${name}: ${(e as Error).message}`);
  }
}

/**
 * Open the command's client, run fn, and close the client whatever happens.
 * In a shell session the client shares the session's connection (unless the
 * command names another address) and closing it leaves the connection open.
 */
export async function withClient<T>(argv: GlobalArgs, fn: (client: Client) => Promise<T>): Promise<T> {
  const timeoutMs = durationFlag('timeout', argv.timeout);
  const connectTimeoutMs = durationFlag('connect-timeout', argv['connect-timeout']);
  const tracer = argv.trace ? await traceFor(argv['trace-format']) : undefined;
  const opts = { namespace: argv.namespace, timeoutMs, connectTimeoutMs, lease: argv.lease || undefined, tracer };
  let client: Client;
  const s = session;
  if (s && s.client.address === argv.address) {
    client = s.client.derive(opts);
    s.current = client;
  } else {
    const { Client } = await import('../internal/client/client');
    client = new Client({ address: argv.address, ...opts });
  }
  try {
    return await fn(client);
  } finally {
    if (s?.current === client) s.current = undefined;
    client.close();
  }
}

async function traceFor(format: string | undefined): Promise<CallTracer> {
  if (format !== undefined && format !== 'text' && format !== 'json') {
    throw new UsageError(`invalid value ${JSON.stringify(format)} for flag --trace: want --trace, --trace=text or --trace=json`);
  }
  const { createTracer } = await import('../internal/trace/tracer');
  return createTracer({ format: format === 'json' ? 'json' : 'text' });
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
