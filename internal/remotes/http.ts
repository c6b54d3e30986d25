/**
 * HTTP for the registry client: one keep-alive agent per TLS setting, bodies
 * streamed both ways (never buffered whole), redirects followed (without the
 * Authorization header when the host changes), http fallback for loopback
 * registries without TLS, and --http-dump / --http-trace output on stderr.
 */
import * as http from 'http';
import * as https from 'https';
import type { IncomingMessage } from 'http';
import { Readable } from 'stream';
import type { RegistryHost, TLSSettings } from './hosts';

export interface HttpOptions {
  /** Print request and response headers to stderr (Authorization redacted). */
  dump?: boolean;
  /** Print connection events to stderr. */
  trace?: boolean;
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A buffer, or a function giving a fresh stream (called again on retries). */
  body?: Buffer | (() => AsyncIterable<Buffer>);
  tls?: TLSSettings;
}

/** A network-level failure (nothing answered, or TLS failed), as opposed to an HTTP status. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const httpAgent = new http.Agent({ keepAlive: true });
const tlsAgents = new Map<TLSSettings | undefined, https.Agent>();

function agentFor(url: URL, tls?: TLSSettings): http.Agent {
  if (url.protocol !== 'https:') return httpAgent;
  let a = tlsAgents.get(tls);
  if (!a) {
    a = new https.Agent({
      keepAlive: true,
      ca: tls?.ca.length ? tls.ca : undefined,
      cert: tls?.cert,
      key: tls?.key,
      rejectUnauthorized: !tls?.skipVerify,
    });
    tlsAgents.set(tls, a);
  }
  return a;
}

/** Drop idle keep-alive sockets so the process can exit. */
export function closeAgents(): void {
  httpAgent.destroy();
  for (const a of tlsAgents.values()) a.destroy();
  tlsAgents.clear();
}

function redact(name: string, value: string): string {
  return /^(authorization|proxy-authorization)$/i.test(name) ? '[redacted]' : value;
}

function dumpRequest(req: HttpRequest): void {
  const lines = [`> ${req.method} ${req.url.href}`];
  for (const [k, v] of Object.entries(req.headers ?? {})) lines.push(`> ${k}: ${redact(k, v)}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

function dumpResponse(res: IncomingMessage): void {
  const lines = [`< HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd()];
  for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`< ${res.rawHeaders[i]}: ${redact(res.rawHeaders[i], res.rawHeaders[i + 1])}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Words for a socket error code. */
function describeNetError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return err.message;
  }
}

/** One HTTP exchange without redirects. */
function once(req: HttpRequest, opts: HttpOptions): Promise<IncomingMessage> {
  const secure = req.url.protocol === 'https:';
  const mod = secure ? https : http;
  const headers: Record<string, string> = { 'User-Agent': 'ctrx', ...req.headers };
  if (Buffer.isBuffer(req.body)) headers['Content-Length'] = String(req.body.length);
  if (opts.dump) dumpRequest({ ...req, headers });
  return new Promise((resolve, reject) => {
    const r = mod.request(req.url, { method: req.method, headers, agent: agentFor(req.url, req.tls) }, (res) => {
      if (opts.dump) dumpResponse(res);
      resolve(res);
    });
    if (opts.trace) {
      r.on('socket', (s) => {
        process.stderr.write(`* ${req.method} ${req.url.host}: socket ${s.connecting ? 'connecting' : 'reused'}\n`);
        s.once('connect', () => process.stderr.write(`* connected to ${req.url.host}\n`));
        s.once('secureConnect', () => process.stderr.write(`* TLS handshake with ${req.url.host} done\n`));
      });
    }
    r.on('error', (err: NodeJS.ErrnoException) => {
      reject(new NetworkError(`${req.method} ${req.url.origin}${req.url.pathname}: ${describeNetError(err)}`, err.code));
    });
    if (!req.body) r.end();
    else if (Buffer.isBuffer(req.body)) r.end(req.body);
    else {
      const src = Readable.from(req.body());
      src.on('error', (err) => r.destroy(err));
      src.pipe(r);
    }
  });
}

/** Read a (small) response body whole: for errors, tokens and manifests. */
export async function readBody(res: IncomingMessage, limit = 16 << 20): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > limit) {
      res.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}

/** Discard a response body so the socket can be reused. */
export function discard(res: IncomingMessage): void {
  res.resume();
}

/** True for errors that mean "this endpoint does not speak TLS". */
function isTLSProtocolError(err: unknown): boolean {
  return err instanceof NetworkError && /EPROTO|ERR_SSL_WRONG_VERSION_NUMBER|ECONNRESET/.test(`${err.code} ${err.message}`);
}

/** Send a request, following redirects (up to 10). */
export async function send(req: HttpRequest, opts: HttpOptions = {}): Promise<IncomingMessage> {
  let cur = req;
  for (let hop = 0; hop < 10; hop++) {
    const res = await once(cur, opts);
    const loc = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.statusCode ?? 0) || !loc) return res;
    discard(res);
    const next = new URL(loc, cur.url);
    const headers = { ...cur.headers };
    if (next.host !== cur.url.host) delete headers.Authorization;
    const keepMethod = res.statusCode === 307 || res.statusCode === 308;
    cur = { ...cur, url: next, headers, method: keepMethod ? cur.method : cur.method === 'HEAD' ? 'HEAD' : 'GET', body: keepMethod ? cur.body : undefined };
  }
  throw new Error(`${req.method} ${req.url.href}: too many redirects`);
}

/**
 * The base URL of an endpoint; for loopback hosts without an explicit scheme,
 * find out once whether https works, else use http (containerd's HTTP fallback).
 */
const fallbackDecided = new Map<string, Promise<'http' | 'https'>>();
export async function hostBase(host: RegistryHost, opts: HttpOptions): Promise<URL> {
  let scheme = host.scheme;
  if (host.httpFallback) {
    let decided = fallbackDecided.get(host.host);
    if (!decided) {
      // One probe per host, shared by concurrent requests.
      decided = once({ method: 'GET', url: new URL(`https://${host.host}${host.path}/`), tls: host.tls }, opts).then(
        (res) => {
          discard(res);
          return 'https' as const;
        },
        (err) => {
          if (!isTLSProtocolError(err)) throw err;
          return 'http' as const;
        },
      );
      fallbackDecided.set(host.host, decided);
    }
    scheme = await decided;
  }
  return new URL(`${scheme}://${host.host}${host.path}/`);
}
