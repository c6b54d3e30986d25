/** Reference normalisation as containerd's docker reference parser does it. */
import { hostWithoutPort, parseReference, refKey } from '../../internal/remotes/reference';

describe('parseReference', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest', 'docker.io', 'library/busybox'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'docker.io', 'library/busybox'],
    ['ctrx/busybox', 'docker.io/ctrx/busybox:latest', 'docker.io', 'ctrx/busybox'],
    ['index.docker.io/library/alpine:3', 'docker.io/library/alpine:3', 'docker.io', 'library/alpine'],
    ['localhost/foo', 'localhost/foo:latest', 'localhost', 'foo'],
    ['localhost:5000/a/b/c:v1', 'localhost:5000/a/b/c:v1', 'localhost:5000', 'a/b/c'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y:latest', '127.0.0.1:5000', 'x/y'],
    ['ghcr.io/o/r:t', 'ghcr.io/o/r:t', 'ghcr.io', 'o/r'],
    ['a-b.example.com/my_repo/x__y/z-z:1.0-rc.1', 'a-b.example.com/my_repo/x__y/z-z:1.0-rc.1', 'a-b.example.com', 'my_repo/x__y/z-z'],
  ])('%s → %s', (input, name, domain, path) => {
    const r = parseReference(input);
    expect(r.name).toBe(name);
    expect(r.domain).toBe(domain);
    expect(r.path).toBe(path);
  });

  it('keeps a digest, with or without a tag, and adds no :latest to a digest', () => {
    const dg = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`busybox@${dg}`)).toMatchObject({ name: `docker.io/library/busybox@${dg}`, digest: dg, tag: undefined });
    expect(parseReference(`r.io/x:1@${dg}`)).toMatchObject({ name: `r.io/x:1@${dg}`, tag: '1', digest: dg, locator: 'r.io/x' });
  });

  it.each([
    ['', /at least one component/],
    ['Busybox', /must be lowercase/],
    ['foo/Bar', /must be lowercase/],
    ['busybox:bad tag', /invalid/],
    ['busybox:-x', /invalid tag/],
    [`busybox@sha256:${'a'.repeat(10)}`, /invalid/],
    [`busybox@sha256:${'a'.repeat(63)}`, /checksum digest length/],
    ['a//b', /invalid reference format/],
    ['-a/b', /invalid reference format/],
  ])('rejects %j', (input, why) => {
    expect(() => parseReference(input)).toThrow(why);
  });

  it('treats an uppercase first component as a host (then the rest must be valid)', () => {
    expect(parseReference('Registry/foo').domain).toBe('Registry');
  });

  it('drops the port for the distribution label host', () => {
    expect(hostWithoutPort('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(hostWithoutPort('docker.io')).toBe('docker.io');
    expect(hostWithoutPort('[::1]:5000')).toBe('[::1]');
  });

  it('names ingests like remotes.MakeRefKey', () => {
    const d = `sha256:${'b'.repeat(64)}`;
    expect(refKey('application/vnd.oci.image.index.v1+json', d)).toBe(`index-${d}`);
    expect(refKey('application/vnd.docker.distribution.manifest.list.v2+json', d)).toBe(`index-${d}`);
    expect(refKey('application/vnd.oci.image.manifest.v1+json', d)).toBe(`manifest-${d}`);
    expect(refKey('application/vnd.docker.distribution.manifest.v2+json', d)).toBe(`manifest-${d}`);
    expect(refKey('application/vnd.oci.image.layer.v1.tar+gzip', d)).toBe(`layer-${d}`);
    expect(refKey('application/vnd.docker.image.rootfs.diff.tar.gzip', d)).toBe(`layer-${d}`);
    expect(refKey('application/vnd.oci.image.config.v1+json', d)).toBe(`config-${d}`);
    expect(refKey('application/vnd.docker.container.image.v1+json', d)).toBe(`config-${d}`);
    expect(refKey('application/x-unknown', d)).toBe(`unknown-${d}`);
  });
});
