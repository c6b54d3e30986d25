/**
 * Which endpoints serve a registry, and how to talk to them: containerd's
 * hosts.toml directories (--hosts-dir: `server`, `[host."…"]` mirrors with
 * capabilities, ca, client, skip_verify, header, override_path; or a
 * Docker-style certs.d folder of *.crt / *.cert / *.key files), plus the
 * command-line TLS and scheme flags.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseToml } from 'smol-toml';

export type Capability = 'pull' | 'resolve' | 'push';
const ALL_CAPS: Capability[] = ['pull', 'resolve', 'push'];

/** TLS settings of one endpoint. */
export interface TLSSettings {
  ca: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  skipVerify: boolean;
}

/** One endpoint that serves (part of) a registry. */
export interface RegistryHost {
  scheme: 'http' | 'https';
  /** host[:port] */
  host: string;
  /** API root path, normally /v2. */
  path: string;
  capabilities: Set<Capability>;
  tls: TLSSettings;
  headers: Record<string, string>;
  /** No scheme was chosen explicitly for a loopback host: try https, fall back to http. */
  httpFallback: boolean;
}

/** The registry flags that shape the host list. */
export interface HostOptions {
  plainHttp?: boolean;
  skipVerify?: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  hostsDir?: string;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** True for localhost and loopback addresses (containerd treats them as plain-http capable). */
export function isLoopback(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\./.test(name) || name === '::1';
}

function defaultTLS(opts: HostOptions): TLSSettings {
  const t: TLSSettings = { ca: [], skipVerify: !!opts.skipVerify };
  if (opts.tlsCaCert) t.ca.push(readFile(opts.tlsCaCert, 'CA certificate'));
  if (opts.tlsCert || opts.tlsKey) {
    if (!opts.tlsCert || !opts.tlsKey) throw new Error('--tlscert and --tlskey must be given together');
    t.cert = readFile(opts.tlsCert, 'client certificate');
    t.key = readFile(opts.tlsKey, 'client key');
  }
  return t;
}

/** The upstream endpoint of a registry name (Docker Hub's API lives at registry-1.docker.io). */
function upstream(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

/** The folder for a registry inside a hosts dir: <dir>/<host:port>, else <dir>/_default. */
function hostDirFor(hostsDir: string, domain: string): string | undefined {
  for (const name of [domain, '_default']) {
    const d = path.join(hostsDir, name);
    if (fs.existsSync(d) && fs.statSync(d).isDirectory()) return d;
  }
  return undefined;
}

type TomlTable = Record<string, unknown>;

function stringList(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new Error(`hosts.toml: ${what} must be a string or a list of strings`);
}

/** `client` is a file (cert and key in one), a list of files, or a list of [cert, key] pairs. */
function clientPairs(v: unknown): [string, string][] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [[v, '']];
  if (!Array.isArray(v)) throw new Error('hosts.toml: client must be a string or a list');
  return v.map((p) => {
    if (typeof p === 'string') return [p, ''] as [string, string];
    if (Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string')) return [p[0], p[1]] as [string, string];
    throw new Error('hosts.toml: client entries must be a file or a [cert, key] pair');
  });
}

function parseURL(s: string, base: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
  try {
    return new URL(withScheme);
  } catch {
    throw new Error(`${base}: invalid host URL ${JSON.stringify(s)}`);
  }
}

/** One host entry (the top level or a [host."…"] table) → RegistryHost. */
function hostFromTable(t: TomlTable, url: URL, dir: string, base: TLSSettings, file: string): RegistryHost {
  const rel = (f: string) => (path.isAbsolute(f) ? f : path.join(dir, f));
  const caps = t.capabilities === undefined ? ALL_CAPS : stringList(t.capabilities, 'capabilities');
  for (const c of caps) if (!ALL_CAPS.includes(c as Capability)) throw new Error(`${file}: unknown capability ${JSON.stringify(c)}`);
  const tls: TLSSettings = { ca: [...base.ca], cert: base.cert, key: base.key, skipVerify: base.skipVerify };
  for (const ca of stringList(t.ca, 'ca')) tls.ca.push(readFile(rel(ca), 'CA certificate'));
  const pairs = clientPairs(t.client);
  if (pairs.length) {
    const [cert, key] = pairs[0];
    tls.cert = readFile(rel(cert), 'client certificate');
    tls.key = key ? readFile(rel(key), 'client key') : tls.cert;
  }
  if (typeof t.skip_verify === 'boolean') tls.skipVerify = t.skip_verify;
  const headers: Record<string, string> = {};
  if (t.header && typeof t.header === 'object') {
    for (const [k, v] of Object.entries(t.header as TomlTable)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  let apiPath = url.pathname.replace(/\/+$/, '');
  if (!t.override_path) {
    if (!apiPath.endsWith('/v2')) apiPath += '/v2';
  }
  return {
    scheme: url.protocol === 'http:' ? 'http' : 'https',
    host: url.host,
    path: apiPath || '/v2',
    capabilities: new Set(caps as Capability[]),
    tls,
    headers,
    httpFallback: false,
  };
}

/** Load a hosts.toml folder; undefined when there is no hosts.toml there. */
function loadHostsToml(dir: string, domain: string, base: TLSSettings, plainHttp: boolean): RegistryHost[] | undefined {
  const file = path.join(dir, 'hosts.toml');
  if (!fs.existsSync(file)) return undefined;
  let doc: TomlTable;
  try {
    doc = parseToml(fs.readFileSync(file, 'utf8')) as TomlTable;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const hosts: RegistryHost[] = [];
  const mirrors = (doc.host ?? {}) as TomlTable;
  for (const [name, table] of Object.entries(mirrors)) {
    if (!table || typeof table !== 'object') continue;
    const url = parseURL(name, file);
    if (!/^[a-z]+:\/\//i.test(name) && plainHttp) url.protocol = 'http:';
    hosts.push(hostFromTable(table as TomlTable, url, dir, base, file));
  }
  const serverURL = typeof doc.server === 'string' ? parseURL(doc.server, file) : parseURL(`${plainHttp ? 'http' : 'https'}://${upstream(domain)}`, file);
  const server = hostFromTable(doc, serverURL, dir, base, file);
  if (typeof doc.server !== 'string' && !plainHttp && isLoopback(domain)) server.httpFallback = true;
  hosts.push(server);
  return hosts;
}

/** Docker's certs.d layout: *.crt are CAs, *.cert with the matching *.key are client pairs. */
function loadCertsDir(dir: string, base: TLSSettings): TLSSettings {
  const tls: TLSSettings = { ca: [...base.ca], cert: base.cert, key: base.key, skipVerify: base.skipVerify };
  for (const f of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, f);
    if (f.endsWith('.crt')) tls.ca.push(readFile(full, 'CA certificate'));
    else if (f.endsWith('.cert') && !tls.cert) {
      const key = full.replace(/\.cert$/, '.key');
      if (!fs.existsSync(key)) throw new Error(`missing key ${key} for client certificate ${full}`);
      tls.cert = readFile(full, 'client certificate');
      tls.key = readFile(key, 'client key');
    }
  }
  return tls;
}

/**
 * The endpoints for a registry name, in the order to try them (mirrors first,
 * the server last), as containerd's config.ConfigureHosts builds them.
 */
export function configureHosts(domain: string, opts: HostOptions): RegistryHost[] {
  const base = defaultTLS(opts);
  let tls = base;
  if (opts.hostsDir) {
    const dir = hostDirFor(opts.hostsDir, domain);
    if (dir) {
      const hosts = loadHostsToml(dir, domain, base, !!opts.plainHttp);
      if (hosts) return hosts;
      tls = loadCertsDir(dir, base);
    }
  }
  return [
    {
      scheme: opts.plainHttp ? 'http' : 'https',
      host: upstream(domain),
      path: '/v2',
      capabilities: new Set(ALL_CAPS),
      tls,
      headers: {},
      httpFallback: !opts.plainHttp && isLoopback(domain),
    },
  ];
}
