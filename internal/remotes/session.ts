/**
 * Opening a repository from the registry flags: parse the reference, build
 * the endpoint list (hosts dir, TLS, scheme) and the authorizer (flags or the
 * Docker config), and share them for the whole command.
 */
import { Authorizer } from './auth';
import { credentialsFromFlags, type CredentialFlags } from './credentials';
import { configureHosts, type HostOptions } from './hosts';
import type { HttpOptions } from './http';
import { parseReference, ReferenceError, type Reference } from './reference';
import { Repository } from './registry';
import { UsageError } from '../errdefs';

/** Every registry flag ctr has (RegistryFlags). */
export interface RemoteOptions extends HostOptions, CredentialFlags {
  httpDump?: boolean;
  httpTrace?: boolean;
}

/** Parse a reference, turning a syntax error into a usage error naming it. */
export function mustParseReference(ref: string, opts: { defaultTag?: boolean } = {}): Reference {
  try {
    return parseReference(ref, opts);
  } catch (err) {
    if (err instanceof ReferenceError) throw new UsageError(`${ref}: ${err.message}`);
    throw err;
  }
}

/** A repository client for ref configured from the flags. */
export async function openRepository(ref: Reference, opts: RemoteOptions): Promise<Repository> {
  const hosts = configureHosts(ref.domain, opts);
  const creds = await credentialsFromFlags(opts);
  const http: HttpOptions = { dump: opts.httpDump, trace: opts.httpTrace };
  const tlsFor = (host: string) => hosts.find((h) => h.host === host)?.tls;
  return new Repository(ref, { hosts, authorizer: new Authorizer(creds, http, tlsFor), http });
}
