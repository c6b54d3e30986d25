/**
 * ctr's RegistryFlags as a yargs group (pull, push, content fetch,
 * fetch-object, fetch-blob, push-object), and the choice between the
 * client-side path and the daemon's Transfer service that ctr makes per
 * release: 1.x always local; 2.x Transfer unless --local, or unless a flag
 * only the local path can honour is given (ctr refuses those; ctrx switches).
 */
import type { Argv } from 'yargs';
import type { Client } from './client/client';
import { parseVersion } from './client/features';
import { UsageError } from './errdefs';
import type { RemoteOptions } from './remotes/session';

/** The registry flags as parsed. */
export interface RegistryArgs {
  'skip-verify'?: boolean;
  'plain-http'?: boolean;
  user?: string;
  refresh?: string;
  'hosts-dir'?: string;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  'http-dump'?: boolean;
  'http-trace'?: boolean;
}

/** Add ctr's registry flags. */
export function withRegistryFlags<T>(y: Argv<T>) {
  return y
    .option('skip-verify', { alias: 'k', type: 'boolean', default: false, describe: 'Skip SSL certificate validation' })
    .option('plain-http', { type: 'boolean', default: false, describe: 'Allow connections using plain HTTP' })
    .option('user', { alias: 'u', type: 'string', describe: 'User[:password] Registry user and password (prompted for when left out)' })
    .option('refresh', { type: 'string', describe: 'Refresh token for authorization server' })
    .option('hosts-dir', { type: 'string', describe: 'Custom hosts configuration directory' })
    .option('tlscacert', { type: 'string', describe: 'Path to TLS root CA' })
    .option('tlscert', { type: 'string', describe: 'Path to TLS client certificate' })
    .option('tlskey', { type: 'string', describe: 'Path to TLS client key' })
    .option('http-dump', { type: 'boolean', default: false, describe: 'Dump all HTTP request/responses when interacting with container registry' })
    .option('http-trace', { type: 'boolean', default: false, describe: 'Enable HTTP tracing for registry interactions' });
}

/** The flags as options for the registry client. */
export function remoteOptions(a: RegistryArgs): RemoteOptions {
  return {
    skipVerify: a['skip-verify'],
    plainHttp: a['plain-http'],
    user: a.user,
    refresh: a.refresh,
    hostsDir: a['hosts-dir'],
    tlsCaCert: a.tlscacert,
    tlsCert: a.tlscert,
    tlsKey: a.tlskey,
    httpDump: a['http-dump'],
    httpTrace: a['http-trace'],
  };
}

/** The --local / --transfer pair (ctr 2.x has --local; --transfer forces the daemon path). */
export function withPathFlags<T>(y: Argv<T>) {
  return y
    .option('local', { type: 'boolean', default: false, describe: 'Fetch content from the client (not through the Transfer service)' })
    .option('transfer', { type: 'boolean', default: false, describe: 'Use the Transfer service of containerd 1.7+ (the 2.x default)' });
}

/**
 * Decide between the client path and the Transfer service. `localOnly` are
 * the flags set that the Transfer path cannot honour (as ctr names them).
 */
export async function useTransfer(client: Client, a: { local?: boolean; transfer?: boolean }, localOnly: string[]): Promise<boolean> {
  if (a.local && a.transfer) throw new UsageError('--local and --transfer cannot be used together');
  if (a.local) return false;
  if (a.transfer) {
    if (localOnly.length) throw new UsageError(`"--${localOnly[0]}" requires "--local" flag`);
    return true;
  }
  if (localOnly.length) return false;
  const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
  return parseVersion(v.version)[0] >= 2;
}

/** Names of the given flags that are set (truthy, non-empty). */
export function setFlags(a: Record<string, unknown>, names: string[]): string[] {
  return names.filter((n) => {
    const v = a[n];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false && v !== '' && v !== 0;
  });
}
