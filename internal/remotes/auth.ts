/**
 * Registry authentication as containerd's docker authorizer does it: on a 401
 * the WWW-Authenticate challenge picks Basic (send the credentials) or Bearer
 * (fetch a token from the realm for service and scope: OAuth POST with the
 * credentials or a refresh token, falling back to GET with Basic credentials,
 * or anonymous GET), and the answer is reused for later requests to the host.
 */
import type { IncomingMessage } from 'http';
import { readBody, send, type HttpOptions } from './http';
import type { TLSSettings } from './hosts';

/** What to authenticate with: a user and secret, or just a secret (a refresh / identity token). */
export interface Credentials {
  username: string;
  secret: string;
}

/** Looks up credentials for a registry host (host[:port]). */
export type CredentialsFn = (host: string) => Credentials | undefined;

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parse WWW-Authenticate headers (several challenges, quoted parameters). */
export function parseChallenges(headers: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const h of Array.isArray(headers) ? headers : headers ? [headers] : []) {
    let s = h.trim();
    while (s) {
      const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*/.exec(s);
      if (!m) break;
      const ch: Challenge = { scheme: m[1].toLowerCase(), params: {} };
      s = s.slice(m[0].length);
      // key=value or key="quoted, value" pairs separated by commas, until the next scheme.
      for (;;) {
        const p = /^([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/.exec(s);
        if (!p) break;
        ch.params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
        s = s.slice(p[0].length);
      }
      out.push(ch);
      s = s.replace(/^,\s*/, '');
    }
  }
  return out;
}

interface HostAuth {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
  /** Bearer tokens by scope string. */
  tokens: Map<string, { token: string; expires: number }>;
}

/** An authentication failure (401/403) against a registry. */
export class AuthError extends Error {}

const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}:${c.secret}`).toString('base64')}`;

/** Keeps the auth scheme and tokens learned per host for one command. */
export class Authorizer {
  private readonly hosts = new Map<string, HostAuth>();

  constructor(
    private readonly creds: CredentialsFn,
    private readonly http: HttpOptions = {},
    private readonly tlsFor: (host: string) => TLSSettings | undefined = () => undefined,
  ) {}

  /** The Authorization header for a request to host needing scope, if the host asked for auth before. */
  async header(host: string, scope: string): Promise<string | undefined> {
    const a = this.hosts.get(host);
    if (!a) return undefined;
    const c = this.creds(host);
    if (a.scheme === 'basic') return c && c.username ? basic(c) : undefined;
    return `Bearer ${await this.token(host, a, scope, c)}`;
  }

  /**
   * Learn from a 401 response. Returns true if a retry may succeed (a new
   * scheme or new credentials to offer), false if there is nothing more to try.
   */
  async challenged(host: string, res: IncomingMessage, scope: string): Promise<boolean> {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    const prior = this.hosts.get(host);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basicCh = challenges.find((c) => c.scheme === 'basic');
    const c = this.creds(host);
    if (bearer) {
      if (!bearer.params.realm) throw new AuthError(`${host}: bearer challenge without a realm`);
      if (prior?.scheme === 'bearer') {
        // A token we already had was refused: an invalid_token error means try a fresh one once.
        if (bearer.params.error !== 'invalid_token' || !prior.tokens.has(scope)) return false;
        prior.tokens.delete(scope);
        prior.params = bearer.params;
        return true;
      }
      this.hosts.set(host, { scheme: 'bearer', params: bearer.params, tokens: new Map() });
      return true;
    }
    if (basicCh) {
      if (prior?.scheme === 'basic' || !c || !c.username) return false;
      this.hosts.set(host, { scheme: 'basic', params: basicCh.params, tokens: new Map() });
      return true;
    }
    return false;
  }

  private async token(host: string, a: HostAuth, scope: string, c: Credentials | undefined): Promise<string> {
    const have = a.tokens.get(scope);
    if (have && have.expires > Date.now()) return have.token;
    const realm = new URL(a.params.realm);
    const service = a.params.service ?? '';
    // The scope the registry asked for, merged with the one this request needs.
    const scopes = [...new Set([scope, ...(a.params.scope ? a.params.scope.split(' ') : [])].filter(Boolean))];
    const tls = this.tlsFor(realm.host);
    let res: IncomingMessage | undefined;
    if (c && c.secret) {
      const form = new URLSearchParams();
      if (c.username) {
        form.set('grant_type', 'password');
        form.set('username', c.username);
        form.set('password', c.secret);
      } else {
        form.set('grant_type', 'refresh_token');
        form.set('refresh_token', c.secret);
      }
      form.set('service', service);
      form.set('client_id', 'containerd-client');
      if (scopes.length) form.set('scope', scopes.join(' '));
      res = await send(
        { method: 'POST', url: realm, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(form.toString()), tls },
        this.http,
      );
      // Registries without the OAuth POST endpoint: fall back to GET with Basic credentials.
      if ([400, 401, 404, 405].includes(res.statusCode ?? 0) && c.username) {
        res.resume();
        res = undefined;
      }
    }
    if (!res) {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (c && c.username) headers.Authorization = basic(c);
      res = await send({ method: 'GET', url, headers, tls }, this.http);
    }
    const body = await readBody(res, 1 << 20);
    if (res.statusCode !== 200) {
      throw new AuthError(`fetching a token from ${realm.origin}${realm.pathname} for ${host} failed: ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd());
    }
    let doc: { token?: string; access_token?: string; expires_in?: number };
    try {
      doc = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AuthError(`token endpoint ${realm.origin}${realm.pathname} answered with something other than JSON`);
    }
    const token = doc.token || doc.access_token;
    if (!token) throw new AuthError(`token endpoint ${realm.origin}${realm.pathname} returned no token`);
    const ttl = (doc.expires_in && doc.expires_in > 0 ? doc.expires_in : 60) * 1000;
    a.tokens.set(scope, { token, expires: Date.now() + ttl - 5000 });
    return token;
  }
}
