/** Pure pieces of the images work: chain IDs, references, ctr's size units, gc label numbering. */
import { chainIDs } from '../../internal/unpack/unpack';
import { familiarRef, normalizeRef, ociReferenceName } from '../../internal/images/reference';
import { bytes, humanDuration, humanSize } from '../../internal/progress/units';
import { childrenLabels } from '../../internal/images/gc-labels';
import { renderProgress } from '../../internal/progress/display';

describe('chainIDs', () => {
  it('chains sha256("<parent> <diff>")', () => {
    const a = 'sha256:' + 'a'.repeat(64);
    const b = 'sha256:' + 'b'.repeat(64);
    const [c0, c1] = chainIDs([a, b]);
    expect(c0).toBe(a);
    const { createHash } = require('crypto') as typeof import('crypto');
    expect(c1).toBe(`sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`);
  });
});

describe('references', () => {
  it('normalises like docker', () => {
    expect(normalizeRef('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizeRef('ctrx/busybox:test')).toBe('docker.io/ctrx/busybox:test');
    expect(normalizeRef('localhost:5000/a/b')).toBe('localhost:5000/a/b:latest');
    expect(() => normalizeRef('BAD REF')).toThrow(/must be lowercase/);
  });
  it('familiarises and names', () => {
    expect(familiarRef('docker.io/library/busybox:1')).toBe('busybox:1');
    expect(familiarRef('docker.io/ctrx/busybox:test')).toBe('ctrx/busybox:test');
    expect(familiarRef('127.0.0.1:5000/x/y')).toBe('127.0.0.1:5000/x/y:latest');
    expect(ociReferenceName('docker.io/ctrx/busybox:test')).toBe('test');
    expect(ociReferenceName('plain')).toBe('plain');
  });
});

describe('units', () => {
  it('formats as ctr does', () => {
    expect(bytes(1052195)).toBe('1.0 MiB');
    expect(bytes(405)).toBe('405.0 B');
    expect(bytes(1028710)).toBe('1004.6 KiB');
    expect(humanSize(1052195)).toBe('1.052MB');
    expect(humanSize(213)).toBe('213B');
    expect(humanSize(1996800)).toBe('1.997MB');
    expect(humanDuration(200)).toBe('Less than a second');
    expect(humanDuration(4 * 60_000 + 5000)).toBe('4 minutes');
  });
});

describe('gc labels', () => {
  it('numbers per prefix, config unnumbered', () => {
    const l = (d: string, mediaType: string) => ({ mediaType, digest: d, size: 1 });
    expect(
      childrenLabels([
        l('c', 'application/vnd.oci.image.config.v1+json'),
        l('l0', 'application/vnd.oci.image.layer.v1.tar+gzip'),
        l('l1', 'application/vnd.docker.image.rootfs.diff.tar'),
        l('i', 'application/vnd.oci.image.index.v1+json'),
      ]),
    ).toEqual({
      'containerd.io/gc.ref.content.config': 'c',
      'containerd.io/gc.ref.content.l.0': 'l0',
      'containerd.io/gc.ref.content.l.1': 'l1',
      'containerd.io/gc.ref.content.0': 'i',
    });
  });
});

describe('progress table', () => {
  it('aligns like ctr and shows bytes of active jobs', () => {
    const text = renderProgress(
      [
        { key: 'layer-sha256:aa', status: 'downloading', offset: 512, total: 1024 },
        { key: 'config-sha256:bb', status: 'done', offset: 10, total: 10 },
      ],
      1500,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^layer-sha256:aa: +downloading +\|\x1b\[32m\+{19}\x1b\[0m-{19}\| +512\.0 B\/1\.0 KiB/);
    expect(lines[2]).toMatch(/^elapsed: 1\.5 s +total: +522\.0 B +\(348\.0 B\/s\)/);
  });
});
