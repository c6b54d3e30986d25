/**
 * The wire view's parts without a daemon: message rendering (defaults dropped,
 * bytes cut, secrets redacted), JSON requests, shell word splitting, and the
 * client's trace events against an in-process grpc-js server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { decode, encode } from '../../internal/api/registry';
import { CallEvent, Client } from '../../internal/client/client';
import { fromJSONValue } from '../../internal/client/from-json';
import { resolveMethod, Services } from '../../internal/client/api-catalog';
import { SERVICES } from '../../api/gen/services';
import { renderMessage } from '../../internal/trace/render';
import { createTracer, TRACE_RENDER } from '../../internal/trace/tracer';
import { packAny, OCI_SPEC_URL, packJSON } from '../../internal/typeurl';
import { completionWords, splitWords } from '../../internal/shell/split';

describe('renderMessage', () => {
  it('drops defaults like protojson, keeps int64 as strings, decodes Any', () => {
    const res = decode('containerd.services.images.v1.GetImageResponse', encode('containerd.services.images.v1.GetImageResponse', {
      image: { name: 'x', labels: {}, target: { media_type: 'm', digest: 'sha256:1', size: '9007199254740993' } },
    }));
    expect(renderMessage('containerd.services.images.v1.GetImageResponse', res)).toEqual({
      image: { name: 'x', target: { media_type: 'm', digest: 'sha256:1', size: '9007199254740993' } },
    });
    const withDefaults = renderMessage('containerd.services.images.v1.GetImageResponse', res, { emitDefaults: true }) as { image: Record<string, unknown> };
    expect(withDefaults.image.labels).toEqual({});
    const spec = { ociVersion: '1.1.0', process: { args: ['sh'], terminal: false } };
    const c = renderMessage('containerd.services.containers.v1.Container', { id: 'c', spec: packJSON(OCI_SPEC_URL, spec) });
    expect(c).toEqual({ id: 'c', spec: { '@type': OCI_SPEC_URL, ...spec } });
  });

  it('cuts big byte fields and long lists to a size and the first items', () => {
    const data = Buffer.alloc(1 << 20, 7);
    const r = renderMessage('containerd.services.content.v1.WriteContentRequest', { action: 'WRITE', ref: 'r', data }, TRACE_RENDER) as Record<string, string>;
    expect(r.data).toMatch(/^<1048576 bytes, base64 BwcH/);
    const l = renderMessage('containerd.services.namespaces.v1.ListNamespacesResponse', { namespaces: Array.from({ length: 25 }, (_, i) => ({ name: `n${i}`, labels: {} })) }, TRACE_RENDER) as { namespaces: unknown[] };
    expect(l.namespaces).toHaveLength(11);
    expect(l.namespaces[10]).toBe('... 15 more (25 in all)');
  });

  it('never shows secrets: auth answers, auth headers, JSON payloads', () => {
    const auth = packAny('containerd.types.transfer.AuthResponse', { authType: 'CREDENTIALS', username: 'me', secret: 'hunter2' });
    const r = JSON.stringify(renderMessage('containerd.types.transfer.AuthResponse', decode('containerd.types.transfer.AuthResponse', auth.value), TRACE_RENDER));
    expect(r).not.toContain('hunter2');
    expect(r).toContain('"username":"me"');
    const reg = packAny('containerd.types.transfer.OCIRegistry', { reference: 'r', resolver: { headers: { Authorization: 'Basic c2VjcmV0' }, auth_stream: 'creds-1' } });
    const t = JSON.stringify(renderMessage('containerd.services.transfer.v1.TransferRequest', { source: reg }, TRACE_RENDER));
    expect(t).not.toContain('c2VjcmV0');
    expect(t).toContain('creds-1');
    const j = JSON.stringify(renderMessage('containerd.services.containers.v1.Container', { id: 'c', spec: packJSON('example.com/Cfg', { password: 'p4ss', registry_token: 'tok', user: 'u' }) }, TRACE_RENDER));
    expect(j).not.toMatch(/p4ss|tok"/);
  });
});

describe('fromJSONValue', () => {
  it('takes protojson: names, int64 as strings or numbers, bytes, enums, times, masks, Any', () => {
    const w = fromJSONValue('containerd.services.content.v1.WriteContentRequest', { action: 'COMMIT', ref: 'r', offset: 5, total: '9007199254740993', data: 'aGk=' });
    const back = decode('containerd.services.content.v1.WriteContentRequest', encode('containerd.services.content.v1.WriteContentRequest', w));
    expect(back).toMatchObject({ action: 'COMMIT', ref: 'r', offset: '5', total: '9007199254740993' });
    expect((back as { data: Buffer }).data.toString()).toBe('hi');
    const u = fromJSONValue('containerd.services.images.v1.UpdateImageRequest', { image: { name: 'x', createdAt: '2024-01-02T03:04:05.5Z' }, update_mask: 'labels,target' }) as Record<string, never>;
    expect(u).toMatchObject({ image: { name: 'x', created_at: { seconds: '1704164645', nanos: 500000000 } }, update_mask: { paths: ['labels', 'target'] } });
    const t = fromJSONValue('containerd.services.transfer.v1.TransferRequest', { source: { '@type': 'type.googleapis.com/containerd.types.transfer.OCIRegistry', reference: 'docker.io/x' } }) as { source: { type_url: string; value: Buffer } };
    expect(t.source.type_url).toBe('containerd.types.transfer.OCIRegistry');
    expect(decode('containerd.types.transfer.OCIRegistry', t.source.value)).toMatchObject({ reference: 'docker.io/x' });
  });

  it('names the field that is wrong', () => {
    expect(() => fromJSONValue('containerd.services.images.v1.GetImageRequest', { nam: 'x' })).toThrow(/at nam: .*has no field "nam"/);
    expect(() => fromJSONValue('containerd.services.content.v1.InfoRequest', { digest: 5 })).toThrow(/at digest: string wants/);
    expect(() => fromJSONValue('containerd.services.content.v1.WriteContentRequest', { action: 'NOPE' })).toThrow(/not a value of WriteAction/);
  });
});

describe('method names', () => {
  const services = SERVICES as Services;
  it('resolves full and unambiguous short names, and says when a name is ambiguous', () => {
    expect(resolveMethod(services, 'version.v1.Version/Version').service.name).toBe('containerd.services.version.v1.Version');
    expect(resolveMethod(services, 'Version/Version').service.name).toBe('containerd.services.version.v1.Version');
    expect(resolveMethod(services, '/runtime.v1.RuntimeService/Version').service.name).toBe('runtime.v1.RuntimeService');
    expect(resolveMethod(services, 'Events/Subscribe').service.name).toBe('containerd.services.events.v1.Events');
    expect(() => resolveMethod(services, 'Events/Forward')).toThrow(/ambiguous/);
    expect(() => resolveMethod(services, 'Version/Nope')).toThrow(/has no method "Nope"/);
  });
});

describe('shell words', () => {
  it('splits like a POSIX shell', () => {
    expect(splitWords(`ns create "a b" 'c "d"' e\\ f g\\"h "x\\"y" # comment`)).toEqual(['ns', 'create', 'a b', 'c "d"', 'e f', 'g"h', 'x"y']);
    expect(splitWords(`a '' ""`)).toEqual(['a', '', '']);
    expect(() => splitWords(`a "b`)).toThrow(/unterminated double quote/);
    expect(completionWords('ns rm ')).toEqual(['ns', 'rm', '']);
    expect(completionWords('ns rm w')).toEqual(['ns', 'rm', 'w']);
  });
});

describe('client trace events', () => {
  let dir: string;
  let sock: string;
  let server: grpc.Server;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-trace-'));
    sock = path.join(dir, 's.sock');
    server = new grpc.Server();
    server.register(
      '/containerd.services.content.v1.Content/List',
      ((call: grpc.ServerWritableStream<object, object>) => {
        for (let i = 0; i < 5; i++) call.write({ info: [{ digest: `sha256:${i}`, size: '1' }] });
        call.end();
      }) as grpc.UntypedHandleCall,
      (v: object) => encode('containerd.services.content.v1.ListContentResponse', v),
      (b: Buffer) => decode('containerd.services.content.v1.ListContentRequest', b),
      'serverStream',
    );
    server.register(
      '/containerd.services.namespaces.v1.Namespaces/Get',
      ((_c: unknown, cb: grpc.sendUnaryData<object>) => cb({ code: grpc.status.NOT_FOUND, details: 'namespace x: not found' })) as grpc.UntypedHandleCall,
      (v: object) => encode('containerd.services.namespaces.v1.GetNamespaceResponse', v),
      (b: Buffer) => decode('containerd.services.namespaces.v1.GetNamespaceRequest', b),
      'unary',
    );
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${sock}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  });
  afterAll(() => {
    server.forceShutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hears start, each message with its size, and one end with the status, in wire order', async () => {
    const events: CallEvent[] = [];
    const c = new Client({ address: sock, namespace: 'ns1', lease: 'l1', tracer: (e) => events.push(e) });
    const got: string[] = [];
    for await (const m of c.serverStream('containerd.services.content.v1.Content', 'List', { filters: ['a'] })) got.push(m.info[0].digest);
    await c.unary('containerd.services.namespaces.v1.Namespaces', 'Get', { name: 'x' }).catch(() => undefined);
    c.close();
    expect(got).toHaveLength(5);
    const list = events.filter((e) => e.id === 1);
    expect(list.map((e) => e.phase)).toEqual(['start', 'send', 'receive', 'receive', 'receive', 'receive', 'receive', 'end']);
    expect(list[0].metadata).toEqual({ 'containerd-namespace': 'ns1', 'containerd-lease': 'l1' });
    expect(list[1].message).toMatchObject({ filters: ['a'] });
    expect(list[2].bytes).toBeGreaterThan(0);
    expect(list[7]).toMatchObject({ code: 0 });
    const get = events.filter((e) => e.id === 2);
    expect(get.map((e) => e.phase)).toEqual(['start', 'send', 'end']);
    expect(get[2].code).toBe(grpc.status.NOT_FOUND);
  });

  it('ends a stream the caller left early as CANCELLED, and a derived client shares the channel', async () => {
    const lines: string[] = [];
    const parent = new Client({ address: sock, namespace: 'p' });
    const c = parent.derive({ namespace: 'ns2', tracer: createTracer({ format: 'json', write: (l) => lines.push(l) }) });
    for await (const _m of c.serverStream('containerd.services.content.v1.Content', 'List', {})) break;
    c.close(); // a derived client leaves the channel open
    await expect(parent.unary('containerd.services.namespaces.v1.Namespaces', 'Get', { name: 'x' })).rejects.toThrow('namespace x: not found');
    parent.close();
    const evs = lines.map((l) => JSON.parse(l));
    expect(evs[0]).toMatchObject({ event: 'call', service: 'containerd.services.content.v1.Content', method: 'List', kind: 'server', metadata: { 'containerd-namespace': 'ns2' } });
    expect(evs.at(-1)).toMatchObject({ event: 'end', status: 'CANCELLED', sent: 1 });
  });

  it('writes text lines: call, request, capped stream messages, status', () => {
    const lines: string[] = [];
    const t = createTracer({ format: 'text', write: (l) => lines.push(l), streamMessages: 2 });
    const base = { method: '/s/M', kind: 'server' as const, metadata: {}, id: 3, service: 's', methodName: 'M', requestType: 'google.protobuf.Empty', responseType: 'containerd.services.content.v1.ListContentResponse' };
    t({ ...base, phase: 'start', metadata: { 'containerd-namespace': 'n', authorization: 'Bearer x' } });
    t({ ...base, phase: 'send', message: {}, bytes: 0 });
    for (let i = 0; i < 4; i++) t({ ...base, phase: 'receive', message: { info: [] }, bytes: 10 });
    t({ ...base, phase: 'end', code: 0, elapsedMs: 1.5 });
    expect(lines.join('')).toBe(
      'trace #3 call s/M (server) containerd-namespace=n authorization=<redacted>\n' +
        'trace #3 request (0 B) {}\n' +
        'trace #3 receive #1 (10 B) {}\n' +
        'trace #3 receive #2 (10 B) {}\n' +
        'trace #3 receive: further messages are counted, not shown\n' +
        'trace #3 status OK (0) in 1.5ms; sent 1 message (0 B), received 4 messages (40 B)\n',
    );
  });
});
