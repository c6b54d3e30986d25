/**
 * The RPC layer against an in-process grpc-js server on a unix socket: headers,
 * deadlines, every streaming kind, error mapping and connection failures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { decode, encode } from '../../internal/api/registry';
import { Client } from '../../internal/client/client';
import { RpcError } from '../../internal/errdefs';

type Handler = grpc.UntypedHandleCall;

function startServer(sock: string, handlers: Record<string, { req: string; res: string; kind: string; fn: Handler }>) {
  const server = new grpc.Server();
  for (const [p, h] of Object.entries(handlers)) {
    server.register(p, h.fn, (v: object) => encode(h.res, v), (b: Buffer) => decode(h.req, b), h.kind as 'unary');
  }
  return new Promise<grpc.Server>((resolve, reject) => {
    server.bindAsync(`unix://${sock}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve(server)));
  });
}

describe('client', () => {
  let dir: string;
  let sock: string;
  let server: grpc.Server;
  const seen: Record<string, string | undefined>[] = [];
  const written: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-client-'));
    sock = path.join(dir, 'fake.sock');
    server = await startServer(sock, {
      '/containerd.services.version.v1.Version/Version': {
        req: 'google.protobuf.Empty', res: 'containerd.services.version.v1.VersionResponse', kind: 'unary',
        fn: ((call: grpc.ServerUnaryCall<object, object>, cb: grpc.sendUnaryData<object>) => {
          seen.push({ ns: call.metadata.get('containerd-namespace')[0] as string, lease: call.metadata.get('containerd-lease')[0] as string | undefined });
          cb(null, { version: '9.9.9', revision: 'abc' });
        }) as Handler,
      },
      '/containerd.services.namespaces.v1.Namespaces/Get': {
        req: 'containerd.services.namespaces.v1.GetNamespaceRequest', res: 'containerd.services.namespaces.v1.GetNamespaceResponse', kind: 'unary',
        fn: ((call: grpc.ServerUnaryCall<{ name: string }, object>, cb: grpc.sendUnaryData<object>) => {
          if (call.request.name === 'slow') { setTimeout(() => cb(null, {}), 2000); return; }
          cb({ code: grpc.status.NOT_FOUND, details: `namespace ${call.request.name}: not found` });
        }) as Handler,
      },
      '/containerd.services.content.v1.Content/List': {
        req: 'containerd.services.content.v1.ListContentRequest', res: 'containerd.services.content.v1.ListContentResponse', kind: 'serverStream',
        fn: ((call: grpc.ServerWritableStream<object, object>) => {
          for (let i = 0; i < 3; i++) call.write({ info: [{ digest: `sha256:${i}`, size: (2n ** 53n + BigInt(i)).toString() }] });
          call.end();
        }) as Handler,
      },
      '/containerd.services.content.v1.Content/Write': {
        req: 'containerd.services.content.v1.WriteContentRequest', res: 'containerd.services.content.v1.WriteContentResponse', kind: 'bidi',
        fn: ((call: grpc.ServerDuplexStream<{ data: Buffer; offset: string }, object>) => {
          let offset = 0;
          call.on('data', (m: { data: Buffer }) => {
            offset += m.data.length;
            written.push(String(m.data.length));
            call.write({ action: 'WRITE', offset: String(offset) });
          });
          call.on('end', () => call.end());
        }) as Handler,
      },
    });
  });

  afterAll(() => {
    server.forceShutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the namespace header on every call, and the lease header when one is set', async () => {
    const c = new Client({ address: sock, namespace: 'ns1' });
    const v = await c.unary('containerd.services.version.v1.Version', 'Version', {});
    c.lease = 'lease-1';
    await c.unary('containerd.services.version.v1.Version', 'Version', {});
    c.close();
    expect(v).toEqual({ version: '9.9.9', revision: 'abc' });
    expect(seen.slice(-2)).toEqual([{ ns: 'ns1', lease: undefined }, { ns: 'ns1', lease: 'lease-1' }]);
  });

  it('accepts unix:// and unix:/// addresses', async () => {
    for (const address of [`unix://${sock}`, `unix:${sock}`]) {
      const c = new Client({ address, namespace: 'default' });
      await expect(c.unary('containerd.services.version.v1.Version', 'Version', {})).resolves.toMatchObject({ version: '9.9.9' });
      c.close();
    }
  });

  it('maps gRPC status to containerd error classes', async () => {
    const c = new Client({ address: sock, namespace: 'default' });
    const err = await c.unary('containerd.services.namespaces.v1.Namespaces', 'Get', { name: 'nope' }).catch((e) => e);
    c.close();
    expect(err).toBeInstanceOf(RpcError);
    expect(err.errorClass).toBe('not found');
    expect(err.message).toBe('namespace nope: not found');
  });

  it('applies --timeout as one deadline for the command', async () => {
    const c = new Client({ address: sock, namespace: 'default', timeoutMs: 300 });
    const started = Date.now();
    const err = await c.unary('containerd.services.namespaces.v1.Namespaces', 'Get', { name: 'slow' }).catch((e) => e);
    c.close();
    expect(err.errorClass).toBe('deadline exceeded');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('iterates a server stream without losing 64-bit precision', async () => {
    const c = new Client({ address: sock, namespace: 'default' });
    const sizes: string[] = [];
    for await (const m of c.serverStream('containerd.services.content.v1.Content', 'List', {})) sizes.push(m.info[0].size);
    c.close();
    expect(sizes).toEqual(['9007199254740992', '9007199254740993', '9007199254740994']);
  });

  it('streams both ways with backpressure', async () => {
    const c = new Client({ address: sock, namespace: 'default' });
    const w = c.duplex('containerd.services.content.v1.Content', 'Write');
    const chunk = Buffer.alloc(1 << 20, 1);
    for (let i = 0; i < 8; i++) await w.send({ action: 'WRITE', data: chunk, offset: String(i << 20) });
    w.end();
    const offsets: string[] = [];
    for await (const r of w) offsets.push(r.offset);
    c.close();
    expect(offsets.at(-1)).toBe(String(8 << 20));
    expect(offsets).toHaveLength(8);
  });

  it('fails at once, naming the socket, when there is no socket', async () => {
    const c = new Client({ address: path.join(dir, 'missing.sock'), namespace: 'default' });
    await expect(c.unary('containerd.services.version.v1.Version', 'Version', {})).rejects.toThrow(/cannot access socket .*missing\.sock: no such file or directory/);
    c.close();
  });

  it('fails fast when nobody listens on the socket', async () => {
    // A socket file nobody listens on: what a crashed daemon leaves behind.
    const dead = path.join(dir, 'dead.sock');
    const { execFileSync } = await import('child_process');
    execFileSync('python3', ['-c', `import socket;s=socket.socket(socket.AF_UNIX);s.bind(${JSON.stringify(dead)})`]);
    const c = new Client({ address: dead, namespace: 'default', connectTimeoutMs: 5000 });
    const started = Date.now();
    await expect(c.unary('containerd.services.version.v1.Version', 'Version', {})).rejects.toThrow(/failed to connect to containerd at .*dead\.sock: connection refused/);
    c.close();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
