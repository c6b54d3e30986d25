/**
 * The registry client's parts that the test registry cannot exercise: the
 * Bearer token flow (against a small token-auth registry written here),
 * challenge parsing, hosts.toml, the Docker config, labels, read-ahead.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import type { AddressInfo } from 'net';
import { Authorizer, parseChallenges } from '../../internal/remotes/auth';
import { dockerConfigCredentials } from '../../internal/remotes/credentials';
import { configureHosts } from '../../internal/remotes/hosts';
import { closeAgents } from '../../internal/remotes/http';
import { parseReference } from '../../internal/remotes/reference';
import { NotFoundError, Repository } from '../../internal/remotes/registry';
import { childrenLabels } from '../../internal/remotes/fetch-image';
import { readAhead } from '../../internal/remotes/streams';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface TokenRegistry {
  port: number;
  tokenRequests: { method: string; auth?: string; query: URLSearchParams; form?: URLSearchParams }[];
  close(): Promise<void>;
}

/**
 * A registry that wants Bearer tokens from its own /token endpoint, which
 * takes Basic user:secret on GET, an OAuth password or refresh_token grant on
 * POST (unless postAllowed is false: then POST gets 404), or nothing (anonymous,
 * pull only).
 */
async function tokenRegistry(opts: { postAllowed: boolean; anonymous: boolean }): Promise<TokenRegistry> {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }));
  const blob = Buffer.from('hello blob\n');
  const tokenRequests: TokenRegistry['tokenRequests'] = [];
  const tokens = new Map<string, string>(); // token -> scope granted
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/token') {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const form = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : undefined;
        tokenRequests.push({ method: req.method!, auth: req.headers.authorization, query: url.searchParams, form });
        let ok = false;
        if (req.method === 'POST') {
          if (!opts.postAllowed) {
            res.writeHead(404).end();
            return;
          }
          ok =
            (form!.get('grant_type') === 'password' && form!.get('username') === 'u' && form!.get('password') === 'p') ||
            (form!.get('grant_type') === 'refresh_token' && form!.get('refresh_token') === 'rt');
        } else {
          ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}` || (!req.headers.authorization && opts.anonymous);
        }
        if (!ok) {
          res.writeHead(401).end();
          return;
        }
        const scope = (form ? form.get('scope') : url.searchParams.getAll('scope').join(' ')) ?? '';
        const t = `tok-${tokens.size}`;
        tokens.set(t, scope);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(form ? { access_token: t, expires_in: 300 } : { token: t }));
      });
      return;
    }
    const authz = req.headers.authorization ?? '';
    const granted = tokens.get(authz.replace(/^Bearer /, ''));
    const needPush = req.method !== 'GET' && req.method !== 'HEAD';
    if (!granted || !granted.includes('repository:o/r:pull') || (needPush && !granted.includes('push'))) {
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="${base}/token",service="tokreg",scope="repository:o/r:${needPush ? 'pull,push' : 'pull'}"`,
        'Content-Type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (url.pathname === '/v2/o/r/manifests/v1') {
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': sha(manifest), 'Content-Length': manifest.length });
      res.end(req.method === 'HEAD' ? undefined : manifest);
      return;
    }
    if (url.pathname === `/v2/o/r/blobs/${sha(blob)}`) {
      res.writeHead(200, { 'Content-Length': blob.length }).end(blob);
      return;
    }
    if (url.pathname === '/v2/o/r/blobs/uploads/' && req.method === 'POST') {
      res.writeHead(202, { Location: '/v2/o/r/blobs/uploads/abc?_state=1' }).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    tokenRequests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function repoFor(port: number, creds?: { username: string; secret: string }, name = 'o/r:v1') {
  const ref = parseReference(`127.0.0.1:${port}/${name}`);
  const hosts = configureHosts(ref.domain, { plainHttp: true });
  return new Repository(ref, { hosts, authorizer: new Authorizer(() => creds) });
}

describe('Bearer token auth', () => {
  let reg: TokenRegistry;
  afterEach(async () => {
    closeAgents();
    await reg.close();
  });

  it('fetches a token with the OAuth password grant, then resolves and fetches', async () => {
    reg = await tokenRegistry({ postAllowed: true, anonymous: false });
    const repo = repoFor(reg.port, { username: 'u', secret: 'p' });
    const desc = await repo.resolve();
    expect(desc.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(reg.tokenRequests).toHaveLength(1);
    const t = reg.tokenRequests[0];
    expect(t.method).toBe('POST');
    expect(t.form!.get('grant_type')).toBe('password');
    expect(t.form!.get('service')).toBe('tokreg');
    expect(t.form!.get('client_id')).toBe('containerd-client');
    expect(t.form!.get('scope')).toBe('repository:o/r:pull');
    // The token is reused for the next request of the same scope.
    const body = Buffer.from('hello blob\n');
    const res = await repo.fetch({ mediaType: 'application/octet-stream', digest: sha(body), size: body.length });
    const got: Buffer[] = [];
    for await (const c of res) got.push(c as Buffer);
    expect(Buffer.concat(got).toString()).toBe('hello blob\n');
    expect(reg.tokenRequests).toHaveLength(1);
  });

  it('falls back to GET with Basic credentials when the token endpoint has no POST', async () => {
    reg = await tokenRegistry({ postAllowed: false, anonymous: false });
    const repo = repoFor(reg.port, { username: 'u', secret: 'p' });
    await repo.resolve();
    const methods = reg.tokenRequests.map((r) => r.method);
    expect(methods).toEqual(['POST', 'GET']);
    const get = reg.tokenRequests[1];
    expect(get.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(get.query.get('service')).toBe('tokreg');
    expect(get.query.getAll('scope')).toEqual(['repository:o/r:pull']);
  });

  it('uses a refresh token (--refresh) with the refresh_token grant', async () => {
    reg = await tokenRegistry({ postAllowed: true, anonymous: false });
    const repo = repoFor(reg.port, { username: '', secret: 'rt' });
    await repo.resolve();
    expect(reg.tokenRequests[0].form!.get('grant_type')).toBe('refresh_token');
    expect(reg.tokenRequests[0].form!.get('refresh_token')).toBe('rt');
  });

  it('gets an anonymous token without credentials', async () => {
    reg = await tokenRegistry({ postAllowed: true, anonymous: true });
    const repo = repoFor(reg.port);
    await repo.resolve();
    expect(reg.tokenRequests).toHaveLength(1);
    expect(reg.tokenRequests[0]).toMatchObject({ method: 'GET', auth: undefined });
  });

  it('asks for a pull,push token for uploads', async () => {
    reg = await tokenRegistry({ postAllowed: true, anonymous: false });
    const repo = repoFor(reg.port, { username: 'u', secret: 'p' });
    await expect(repo.pushBlob({ mediaType: 'application/octet-stream', digest: sha(Buffer.from('x')), size: 1 }, async function* () {
      yield Buffer.from('x');
    })).rejects.toThrow(/upload to 127\.0\.0\.1:\d+ failed: 404/);
    expect(reg.tokenRequests.some((t) => t.form?.get('scope') === 'repository:o/r:pull,push')).toBe(true);
  });

  it('reports wrong credentials as unauthorized and a missing tag as not found', async () => {
    reg = await tokenRegistry({ postAllowed: true, anonymous: false });
    await expect(repoFor(reg.port, { username: 'u', secret: 'wrong' }).resolve()).rejects.toThrow(/fetching a token .* failed: 401/);
    await expect(repoFor(reg.port, { username: 'u', secret: 'p' }, 'o/r:nope').resolve()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('parseChallenges', () => {
  it('reads several challenges with quoted, comma-containing parameters', () => {
    const c = parseChallenges(['Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"', 'Basic realm="x"']);
    expect(c).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });
});

describe('hosts.toml', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-hosts-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('orders mirrors first with their capabilities, then the server; reads ca and client relative to the host dir', () => {
    const h = path.join(dir, 'reg.example:5000');
    fs.mkdirSync(h);
    fs.writeFileSync(path.join(h, 'ca.pem'), 'CA');
    fs.writeFileSync(path.join(h, 'c.pem'), 'CERT');
    fs.writeFileSync(path.join(h, 'k.pem'), 'KEY');
    fs.writeFileSync(
      path.join(h, 'hosts.toml'),
      [
        'server = "https://upstream.example"',
        '',
        '[host."http://mirror.example:8080"]',
        '  capabilities = ["pull", "resolve"]',
        '  skip_verify = true',
        '  [host."http://mirror.example:8080".header]',
        '    x-custom = "1"',
        '[host."https://mirror2.example/custom/path"]',
        '  capabilities = ["pull"]',
        '  ca = "ca.pem"',
        '  client = [["c.pem", "k.pem"]]',
        '  override_path = true',
      ].join('\n'),
    );
    const hosts = configureHosts('reg.example:5000', { hostsDir: dir });
    expect(hosts.map((x) => `${x.scheme}://${x.host}${x.path} ${[...x.capabilities].join(',')}`)).toEqual([
      'http://mirror.example:8080/v2 pull,resolve',
      'https://mirror2.example/custom/path pull',
      'https://upstream.example/v2 pull,resolve,push',
    ]);
    expect(hosts[0].tls.skipVerify).toBe(true);
    expect(hosts[0].headers).toEqual({ 'x-custom': '1' });
    expect(hosts[1].tls.ca.map(String)).toEqual(['CA']);
    expect(String(hosts[1].tls.cert)).toBe('CERT');
    expect(String(hosts[1].tls.key)).toBe('KEY');
  });

  it('falls back to _default, takes Docker certs.d files, and defaults to https (http with --plain-http)', () => {
    fs.mkdirSync(path.join(dir, '_default'));
    fs.writeFileSync(path.join(dir, '_default', 'hosts.toml'), 'server = "https://default.example"\n');
    expect(configureHosts('other.example', { hostsDir: dir })[0].host).toBe('default.example');
    const d = path.join(dir, 'certs.example');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'ca.crt'), 'CA1');
    fs.writeFileSync(path.join(d, 'client.cert'), 'C');
    fs.writeFileSync(path.join(d, 'client.key'), 'K');
    const [c] = configureHosts('certs.example', { hostsDir: dir });
    expect(c.tls.ca.map(String)).toEqual(['CA1']);
    expect(String(c.tls.cert)).toBe('C');
    expect(configureHosts('docker.io', {})[0]).toMatchObject({ scheme: 'https', host: 'registry-1.docker.io' });
    expect(configureHosts('r.example', { plainHttp: true })[0]).toMatchObject({ scheme: 'http', host: 'r.example', httpFallback: false });
    expect(configureHosts('127.0.0.1:5000', {})[0]).toMatchObject({ scheme: 'https', httpFallback: true });
  });

  it('says which file is broken', () => {
    const h = path.join(dir, 'bad.example');
    fs.mkdirSync(h);
    fs.writeFileSync(path.join(h, 'hosts.toml'), 'server = \n');
    expect(() => configureHosts('bad.example', { hostsDir: dir })).toThrow(/bad\.example\/hosts\.toml/);
  });
});

describe('Docker config credentials', () => {
  it('reads auth (base64), username/password and identity tokens, by host', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-docker-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'config.json'),
        JSON.stringify({
          auths: {
            '127.0.0.1:5000': { auth: Buffer.from('alice:s3:cret').toString('base64') },
            'https://reg.example': { username: 'bob', password: 'pw' },
            'https://index.docker.io/v1/': { identitytoken: 'idt' },
          },
        }),
      );
      expect(dockerConfigCredentials('127.0.0.1:5000', dir)).toEqual({ username: 'alice', secret: 's3:cret' });
      expect(dockerConfigCredentials('reg.example', dir)).toEqual({ username: 'bob', secret: 'pw' });
      expect(dockerConfigCredentials('docker.io', dir)).toEqual({ username: '', secret: 'idt' });
      expect(dockerConfigCredentials('nobody.example', dir)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('labels and streams', () => {
  it('numbers gc.ref.content children per kind like SetChildrenMappedLabels', () => {
    const d = (mt: string, n: number) => ({ mediaType: mt, digest: `sha256:${String(n).repeat(64)}`, size: 1 });
    expect(
      childrenLabels([
        d('application/vnd.oci.image.config.v1+json', 1),
        d('application/vnd.oci.image.layer.v1.tar+gzip', 2),
        d('application/vnd.oci.image.layer.v1.tar+gzip', 3),
        d('application/vnd.oci.image.manifest.v1+json', 4),
        d('application/x-other', 5),
      ]),
    ).toEqual({
      'containerd.io/gc.ref.content.config': `sha256:${'1'.repeat(64)}`,
      'containerd.io/gc.ref.content.l.0': `sha256:${'2'.repeat(64)}`,
      'containerd.io/gc.ref.content.l.1': `sha256:${'3'.repeat(64)}`,
      'containerd.io/gc.ref.content.m.0': `sha256:${'4'.repeat(64)}`,
      'containerd.io/gc.ref.content.0': `sha256:${'5'.repeat(64)}`,
    });
  });

  it('re-chunks a stream without losing bytes and stops at the size limit', async () => {
    async function* src() {
      for (let i = 0; i < 100; i++) yield Buffer.alloc(1000, i);
    }
    const parts: Buffer[] = [];
    for await (const b of readAhead(src(), { chunk: 4096, ahead: 8192 })) parts.push(b);
    expect(parts.slice(0, -1).every((p) => p.length >= 4096)).toBe(true);
    expect(Buffer.concat(parts)).toEqual(Buffer.concat([...Array(100).keys()].map((i) => Buffer.alloc(1000, i))));
    await expect(
      (async () => {
        for await (const b of readAhead(src(), { chunk: 4096, maxBytes: 5000, what: 'layer-x' })) void b;
      })(),
    ).rejects.toThrow(/layer-x: the registry sent more than the expected 5000 bytes/);
  });
});
