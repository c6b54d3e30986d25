/**
 * --trace through the built binary on both daemons: the calls a command makes,
 * checked against what the daemon itself reports (its events through the real
 * ctr, and its debug log), in text and JSON lines, with secrets kept out.
 */
import * as fs from 'fs';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { dropNamespace, EVENT_OF, eventsDuring, namespaceWithImage, parseTrace, short } from './trace-fixtures';

jest.setTimeout(180_000);

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, ref } = await namespaceWithImage(d, `trace${line.replace('.', '')}`));
  });
  afterAll(() => dropNamespace(d, ns));

  it('run --rm: the trace lists exactly the calls whose events the daemon publishes, in order', async () => {
    const id = uniqueName('tr');
    const logBefore = fs.readFileSync(`${d.dir}/containerd.log`, 'utf8').length;
    let r = { code: -1, stdout: '', stderr: '' };
    const events = await eventsDuring(d, () => {
      r = ctrxOn(d, ['--trace=json', 'run', '--rm', ref, id, 'echo', 'hello'], { namespace: ns });
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello\n');
    const calls = parseTrace(r.stderr);
    // Every call is numbered in order, starts once, ends once, and carries the namespace.
    expect(calls.map((c) => c.id)).toEqual(calls.map((_c, i) => i + 1));
    for (const c of calls) {
      expect(c.status).toBeDefined();
      expect(c.metadata['containerd-namespace']).toBe(ns);
    }
    const names = calls.map(short);
    for (const m of ['Containers/Create', 'Tasks/Create', 'Tasks/Wait', 'Tasks/Start', 'Tasks/Delete', 'Containers/Delete']) expect(names).toContain(m);
    // The learner's sequence: the container before its task, the task deleted before the container.
    expect(names.indexOf('Containers/Create')).toBeLessThan(names.indexOf('Tasks/Create'));
    expect(names.indexOf('Tasks/Delete')).toBeLessThan(names.indexOf('Containers/Delete'));
    const create = calls.find((c) => short(c) === 'Containers/Create')!;
    expect(create.sent[0]).toMatchObject({ container: { id, image: ref, spec: { '@type': 'types.containerd.io/opencontainers/runtime-spec/1/Spec' } } });
    const expected = calls.filter((c) => c.status === 'OK' && EVENT_OF[short(c)]).map((c) => EVENT_OF[short(c)]);
    const seen = events.filter((e) => e.namespace === ns && e.topic !== '/tasks/exit').map((e) => e.topic);
    expect(seen).toEqual(expected);
    if (line === '1.6') {
      // 1.6 also logs every event it publishes or forwards at debug level.
      const log = fs.readFileSync(`${d.dir}/containerd.log`, 'utf8').slice(logBefore);
      const logged = [...log.matchAll(/msg="event (?:published|forwarded)" ns=(\S+) topic=(\S+)/g)].filter((m) => m[1] === ns && m[2] !== '/tasks/exit').map((m) => m[2]);
      expect(logged).toEqual(expected);
    }
  });

  it('shows each content write the daemon logs, with its data cut to a size and a prefix', () => {
    const ref2 = uniqueName('wref');
    const data = Buffer.alloc(200_000, 'x');
    const logBefore = fs.readFileSync(`${d.dir}/containerd.log`, 'utf8').length;
    const lines = [
      { action: 'STAT', ref: ref2 },
      { action: 'WRITE', ref: ref2, offset: 0, data: data.toString('base64') },
      { action: 'COMMIT', ref: ref2, offset: data.length, total: data.length },
    ];
    const r = ctrxOn(d, ['--trace=json', 'api', 'call', 'Content/Write', '--compact'], { namespace: ns, input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(r.code).toBe(0);
    const calls = parseTrace(r.stderr);
    expect(calls.map(short)).toEqual(['Content/Write']);
    expect(calls[0].kind).toBe('bidi');
    expect(calls[0].sent).toHaveLength(3);
    expect((calls[0].sent[1] as { data: string }).data).toMatch(/^<200000 bytes, base64 eHh4/);
    expect(r.stderr.length).toBeLessThan(20_000);
    const log = fs.readFileSync(`${d.dir}/containerd.log`, 'utf8').slice(logBefore);
    expect(log.match(new RegExp(`Write started" .*ref=${ref2}`, 'g'))).toHaveLength(1);
    const digest = JSON.parse(r.stdout.trim().split('\n').pop()!).digest;
    expect(ctr(d, ['content', 'get', digest], { namespace: ns }).stdout).toBe(data.toString());
  });

  it('writes text on stderr only, whether --trace comes before or after the command word', () => {
    const plain = ctrxOn(d, ['namespaces', 'list', '-q']);
    for (const args of [['--trace', 'namespaces', 'list', '-q'], ['namespaces', 'list', '-q', '--trace']]) {
      const r = ctrxOn(d, args, { namespace: ns });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(plain.stdout);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`trace #1 call containerd.services.namespaces.v1.Namespaces/List (unary) containerd-namespace=${ns}`);
      expect(lines[1]).toBe('trace #1 request (0 B) {}');
      expect(lines[2]).toMatch(/^trace #1 response \([\d.]+ (B|KiB|MiB)\) \{"namespaces":\[/);
      expect(lines[3]).toMatch(/^trace #1 status OK \(0\) in [\d.]+ms$/);
      expect(lines).toHaveLength(4);
    }
    const failed = ctrxOn(d, ['--trace', 'api', 'call', 'Images/Get', '{"name":"nope"}'], { namespace: ns });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^trace #1 status NOT_FOUND \(5\): image "nope": not found in [\d.]+ms$/m);
  });

  it('sends the --lease header and shows it', () => {
    const lease = uniqueName('lease');
    expect(ctr(d, ['leases', 'create', '--id', lease], { namespace: ns }).code).toBe(0);
    const r = ctrxOn(d, ['--trace=json', '--lease', lease, 'api', 'call', 'Version/Version'], { namespace: ns });
    expect(r.code).toBe(0);
    expect(parseTrace(r.stderr)[0].metadata).toEqual({ 'containerd-namespace': ns, 'containerd-lease': lease });
    ctr(d, ['leases', 'rm', lease], { namespace: ns });
  });

  it('never prints registry auth headers or secrets', () => {
    const secret = 'c2VjcmV0LXBhc3N3b3Jk';
    const req = {
      source: { '@type': 'containerd.types.transfer.OCIRegistry', reference: '127.0.0.1:1/x:1', resolver: { headers: { Authorization: `Basic ${secret}` } } },
      destination: { '@type': 'containerd.types.transfer.ImageStore', name: '127.0.0.1:1/x:1' },
    };
    for (const fmt of ['--trace', '--trace=json']) {
      const r = ctrxOn(d, [fmt, '--timeout', '20s', 'api', 'call', 'Transfer/Transfer', JSON.stringify(req)], { namespace: ns });
      expect(r.code).toBe(1); // 1.6 has no Transfer service; 2.x cannot reach the registry
      expect(r.stderr).toContain('Transfer/Transfer');
      expect(r.stderr).toContain('<redacted>');
      expect(r.stderr).not.toContain(secret);
    }
  });
});
