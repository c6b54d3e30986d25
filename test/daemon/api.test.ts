/**
 * `ctrx api` through the built binary on both daemons: every unary method of
 * the version, namespaces and images services with results checked by the
 * real ctr, streams both ways, CRI, what `api list` says is served (checked by
 * asking each service), and `api describe`.
 */
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { dropNamespace, namespaceWithImage } from './trace-fixtures';

jest.setTimeout(120_000);

const call = (d: Daemon, ns: string, method: string, req?: object, extra: string[] = []) => {
  const r = ctrxOn(d, ['api', 'call', method, ...(req ? [JSON.stringify(req)] : []), ...extra], { namespace: ns });
  return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
};

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  let manifest: string;
  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, ref, manifest } = await namespaceWithImage(d, `api${line.replace('.', '')}`));
  });
  afterAll(() => dropNamespace(d, ns));

  it('Version/Version, by full and short names, says what ctr version says', () => {
    const server = ctr(d, ['version']).stdout;
    for (const name of ['containerd.services.version.v1.Version/Version', 'version.v1.Version/Version', 'Version/Version', '/containerd.services.version.v1.Version/Version']) {
      const r = call(d, ns, name);
      expect(r.stderr).toBe('');
      expect(server).toContain(`Version:  ${r.json.version}\n`);
      if (r.json.revision) expect(server).toContain(`Revision: ${r.json.revision}\n`);
    }
  });

  it('Namespaces: Create, Get, List, Update, Delete as ctr sees them', () => {
    const name = uniqueName('apins');
    expect(call(d, ns, 'Namespaces/Create', { namespace: { name, labels: { a: '1' } } }).json).toEqual({ namespace: { name, labels: { a: '1' } } });
    expect(ctr(d, ['ns', 'ls']).stdout).toMatch(new RegExp(`^${name} +a=1 *$`, 'm'));
    expect(call(d, ns, 'Namespaces/Get', { name }).json).toEqual({ namespace: { name, labels: { a: '1' } } });
    const list = call(d, ns, 'Namespaces/List', {}).json.namespaces.map((n: { name: string }) => n.name).sort();
    expect(list).toEqual(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n').filter(Boolean).sort());
    // The daemon answers Update with an empty namespace (1.6) or none (2.x): its effect is what counts.
    const up = call(d, ns, 'Namespaces/Update', { namespace: { name, labels: { b: '2' } }, update_mask: 'labels.b' });
    expect(up.code).toBe(0);
    expect(call(d, ns, 'Namespaces/Get', { name }).json).toEqual({ namespace: { name, labels: { a: '1', b: '2' } } });
    expect(ctr(d, ['ns', 'ls']).stdout).toMatch(new RegExp(`^${name} +a=1,b=2 *$`, 'm'));
    expect(call(d, ns, 'Namespaces/Delete', { name })).toMatchObject({ code: 0, json: {} });
    expect(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n')).not.toContain(name);
    // Get answers for any name (with no labels); a second Delete is what fails.
    expect(call(d, ns, 'Namespaces/Get', { name }).json).toEqual({ namespace: { name } });
    const gone = call(d, ns, 'Namespaces/Delete', { name });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`ctrx: containerd.services.namespaces.v1.Namespaces/Delete: NOT_FOUND: namespace "${name}": not found\n`);
  });

  it('Images: Create, Get, List, Update, Delete as ctr sees them', () => {
    const theirs = ctr(d, ['images', 'ls'], { namespace: ns }).stdout;
    const got = call(d, ns, 'Images/Get', { name: ref }).json.image;
    expect(got.target.digest).toBe(manifest);
    expect(theirs).toContain(`${ref} application/vnd.oci.image.manifest.v1+json ${manifest}`);
    const name = `docker.io/ctrx/apicopy:${uniqueName('t')}`;
    const created = call(d, ns, 'Images/Create', { image: { name, labels: { k: 'v' }, target: got.target } }).json.image;
    expect(created).toMatchObject({ name, labels: { k: 'v' }, target: got.target });
    expect(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout.split('\n')).toContain(name);
    const listed = call(d, ns, 'Images/List', { filters: [`name==${name}`] }).json.images;
    expect(listed).toHaveLength(1);
    expect(listed[0].created_at).toBe(created.created_at);
    // containerd 2.1 dereferences the target on every Update, so it is always sent.
    const up = call(d, ns, 'Images/Update', { image: { name, labels: { k: 'w', z: '1' }, target: got.target }, update_mask: { paths: ['labels.z'] } }).json.image;
    expect(up.labels).toEqual({ k: 'v', z: '1' });
    expect(ctr(d, ['images', 'ls'], { namespace: ns }).stdout).toMatch(new RegExp(`^${name.replace(/[.]/g, '\\.')} .* k=v,z=1 *$`, 'm'));
    expect(call(d, ns, 'Images/Delete', { name, sync: true })).toMatchObject({ code: 0, json: {} });
    expect(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout.split('\n')).not.toContain(name);
  });

  it('server streams print each reply; client and bidi streams read JSON lines from stdin', () => {
    const data = 'hello from api call\n';
    const ref2 = uniqueName('ref');
    const input = [
      { action: 'WRITE', ref: ref2, offset: 0, data: Buffer.from(data).toString('base64') },
      { action: 'COMMIT', ref: ref2, offset: data.length, total: data.length },
    ].map((l) => JSON.stringify(l)).join('\n');
    const w = ctrxOn(d, ['api', 'call', 'Content/Write', '--compact', '-'], { namespace: ns, input });
    expect(w.code).toBe(0);
    const replies = w.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const digest = replies.find((x) => x.action === 'COMMIT').digest;
    expect(ctr(d, ['content', 'get', digest], { namespace: ns }).stdout).toBe(data);
    const list = ctrxOn(d, ['api', 'call', 'Content/List', '{}', '--compact'], { namespace: ns });
    const digests = list.stdout.trim().split('\n').flatMap((l) => JSON.parse(l).info.map((i: { digest: string }) => i.digest)).sort();
    expect(digests).toEqual(ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean).sort());
    const read = ctrxOn(d, ['api', 'call', 'Content/Read', '-'], { namespace: ns, input: JSON.stringify({ digest }) });
    expect(Buffer.from(JSON.parse(read.stdout).data, 'base64').toString()).toBe(data);
  });

  it('reaches CRI on the same socket, with Any fields decoded', () => {
    const v = call(d, ns, 'runtime.v1.RuntimeService/Version', {});
    expect(v.json).toMatchObject({ runtime_name: 'containerd', runtime_api_version: 'v1' });
    expect(d.version).toContain(v.json.runtime_version.replace(/^v/, ''));
    const id = uniqueName('apic');
    expect(ctr(d, ['containers', 'create', ref, id], { namespace: ns }).code).toBe(0);
    const c = call(d, ns, 'Containers/Get', { id }).json.container;
    expect(c.spec['@type']).toBe('types.containerd.io/opencontainers/runtime-spec/1/Spec');
    expect(c.spec.process.args).toEqual(['sh']);
    expect(c.runtime.options['@type']).toMatch(/runc/);
    ctr(d, ['containers', 'rm', id], { namespace: ns });
  });

  it('api list says what the daemon serves, as each service itself answers', () => {
    const intro = JSON.parse(ctrxOn(d, ['api', 'list', '--format', 'json']).stdout) as { service: string; method: string; kind: string; served: string }[];
    const probe = JSON.parse(ctrxOn(d, ['api', 'list', '--probe', '--format', 'json']).stdout) as typeof intro;
    expect(intro.length).toBeGreaterThan(100);
    const asked = new Map(probe.map((r) => [r.service, r.served]));
    for (const r of intro) expect([r.service, r.served === 'yes' ? 'yes' : 'no']).toEqual([r.service, asked.get(r.service)]);
    const served = (s: string) => intro.find((r) => r.service === s)!.served;
    expect(served('containerd.services.transfer.v1.Transfer')).toBe(line === '2' ? 'yes' : 'no');
    expect(served('runtime.v1.RuntimeService')).toBe('yes');
    expect(served('containerd.task.v3.Task')).toBe('shim');
    expect(intro.find((r) => r.method === 'Write' && r.service.endsWith('Content'))!.kind).toBe('bidi');
    expect(ctrxOn(d, ['api', 'list', 'Version', '-q']).stdout).toBe('containerd.services.version.v1.Version/Version\n');
  });

  it('api describe shows services, methods and messages; unknown names fail plainly', () => {
    const m = JSON.parse(ctrxOn(d, ['api', 'describe', 'Images/Update', '--format', 'json']).stdout);
    expect(m).toMatchObject({ kind: 'method', service: 'containerd.services.images.v1.Images', streaming: 'unary' });
    expect(m.request.fields).toEqual([
      { name: 'image', number: 1, type: 'containerd.services.images.v1.Image', label: '' },
      { name: 'update_mask', number: 2, type: 'google.protobuf.FieldMask', label: '' },
      { name: 'source_date_epoch', number: 3, type: 'google.protobuf.Timestamp', label: '' },
    ]);
    const img = ctrxOn(d, ['api', 'describe', 'images.v1.Image']).stdout;
    expect(img).toContain('map<string, string> labels = 2;');
    expect(img).toContain('google.protobuf.Timestamp created_at = 7;');
    expect(ctrxOn(d, ['api', 'describe', 'Content']).stdout).toContain('rpc Write(stream containerd.services.content.v1.WriteContentRequest) returns (stream containerd.services.content.v1.WriteContentResponse);');
    const bad = ctrxOn(d, ['api', 'call', 'Nope/Nope']);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe('ctrx: unknown service "Nope" (see ctrx api list): invalid argument\n');
    const field = ctrxOn(d, ['api', 'call', 'Images/Get', '{"nam":"x"}']);
    expect(field.stderr).toMatch(/^ctrx: invalid request at nam: containerd\.services\.images\.v1\.GetImageRequest has no field "nam"/);
  });
});
