/** The OCI spec helpers: Go's key order and omitempty, env merging, flag parsing, the pre-scan. */
import { canonicalSpec } from '../../internal/oci/spec-json';
import { replaceOrAppendEnv } from '../../internal/oci/options';
import { flavourFor } from '../../internal/oci/spec';
import { parseMountFlag, annotationArgs } from '../../internal/containers/spec-from-flags';
import { haltAtFirstPositional } from '../../internal/container-flags';
import { goJSON } from '../../internal/containers/go-json';

describe('spec JSON', () => {
  it('orders keys like the Go structs and drops empty omitempty fields, keeping pointer zeros', () => {
    const s = canonicalSpec({
      linux: { resources: { devices: [{ access: 'rwm', minor: 0, major: 1, type: 'c', allow: true }] }, namespaces: [] },
      annotations: { b: '2', a: '1' },
      process: { cwd: '/', user: { gid: 0, uid: 0 }, terminal: false, args: ['sh'] },
      ociVersion: '1.2.1',
      hostname: '',
    });
    expect(JSON.stringify(s)).toBe('{"ociVersion":"1.2.1","process":{"user":{"uid":0,"gid":0},"args":["sh"],"cwd":"/"},"annotations":{"a":"1","b":"2"},"linux":{"resources":{"devices":[{"allow":true,"type":"c","major":1,"minor":0,"access":"rwm"}]}}}');
  });

  it('escapes like encoding/json', () => {
    expect(goJSON({ a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
  });

  it('knows each line\'s flavour', () => {
    expect(flavourFor('1.6.20~ds1')).toMatchObject({ ociVersion: '1.0.2-dev', maskPowercap: false, line: '1.6' });
    expect(flavourFor('1.6.26')).toMatchObject({ maskPowercap: true });
    expect(flavourFor('2.1.9+unknown')).toMatchObject({ ociVersion: '1.2.1', maskPowercap: true, line: '2' });
  });
});

describe('env and flags', () => {
  it('replaces, appends and removes env entries like containerd', () => {
    expect(replaceOrAppendEnv(['PATH=/bin', 'A=1', 'B=2'], ['A=3', 'C=4', 'B', 'C=5'])).toEqual(['PATH=/bin', 'A=3', 'C=4', 'C=5']);
  });

  it('parses --mount as a CSV record and --annotation as k=v', () => {
    expect(parseMountFlag('type=bind,src=/a,dst=/b,options=rbind:ro')).toEqual({ destination: '/b', type: 'bind', source: '/a', options: ['rbind', 'ro'] });
    expect(parseMountFlag('"source=/a,b",destination=/c')).toEqual({ destination: '/c', source: '/a,b' });
    expect(() => parseMountFlag('bogus')).toThrow('invalid mount specification: expected key=val');
    expect(() => parseMountFlag('size=1')).toThrow('mount option "size" not supported');
    expect(annotationArgs(['a=b=c'])).toEqual({ a: 'b=c' });
    expect(() => annotationArgs(['nope'])).toThrow('invalid key=value format annotation: nope');
  });

  it('stops reading flags at the first positional of run, c create and t exec', () => {
    expect(haltAtFirstPositional(['-n', 'x', 'run', '--rm', '--env', 'A=1', 'img', 'id', 'sh', '-c', 'x'])).toEqual(['--namespace', 'x', 'run', '--rm', '--env', 'A=1', '--', 'img', 'id', 'sh', '-c', 'x']);
    expect(haltAtFirstPositional(['c', 'create', '-t', 'img', 'id', 'ls', '-l'])).toEqual(['c', 'create', '-t', '--', 'img', 'id', 'ls', '-l']);
    expect(haltAtFirstPositional(['t', 'exec', '--exec-id', 'e', 'c1', 'sh', '-c', 'x'])).toEqual(['t', 'exec', '--exec-id', 'e', '--', 'c1', 'sh', '-c', 'x']);
    expect(haltAtFirstPositional(['run', '--', 'img', 'id'])).toEqual(['run', '--', 'img', 'id']);
    expect(haltAtFirstPositional(['-a', '/s', 't', 'kill', '-a', 'c1'])).toEqual(['--address', '/s', 't', 'kill', '--all', 'c1']);
    expect(haltAtFirstPositional(['images', 'ls', '-q'])).toEqual(['images', 'ls', '-q']);
  });
});
