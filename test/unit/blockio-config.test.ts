/**
 * Reading a goresctrl blockio file: YAML 1.1 scalars as go-yaml v2 resolves
 * them, Go's encoding/json rules for the Config struct, and Go's words for
 * type errors (checked against ctr 2.1.9 with the same files).
 */
import { decodeConfig, GoJSONTypeError } from '../../internal/blockio/config';
import { formatFloat32, parseGoYaml, resolvePlain, YamlSyntaxError } from '../../internal/blockio/go-yaml';

const decode = (text: string) => decodeConfig(parseGoYaml(text));
const weightOf = (text: string) => decode(`Classes:\n  x:\n    - Weight: ${text}\n`)![0][1][0].Weight;

describe('go-yaml scalars', () => {
  it.each([
    ['80', { int: 80n }],
    ['0x50', { int: 80n }],
    ['0100', { int: 64n }],
    ['0o17', { int: 15n }],
    ['0b101', { int: 5n }],
    ['-0b11', { int: -3n }],
    ['1_000', { int: 1000n }],
    ['18446744073709551615', { int: 18446744073709551615n }],
    ['1e2', { float: 100 }],
    ['08', { float: 8 }],
    ['.5', { float: 0.5 }],
    ['99999999999999999999', { float: 1e20 }],
    ['yes', true],
    ['On', true],
    ['n', false],
    ['off', false],
    ['~', null],
    ['', null],
    ['Null', null],
    ['1M', '1M'],
    ['0x', '0x'],
    ['1e400', '1e400'],
    ['/dev/sda', '/dev/sda'],
  ])('%j resolves to %p', (text, value) => {
    expect(resolvePlain(text)).toEqual(value);
  });

  it.each([
    [80, '80'],
    [100, '100'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [123456789, '1.2345679e+08'],
    [1.5e6, '1.5e+06'],
    [0.5, '0.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e20, '1e+20'],
    [-2.5, '-2.5'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
  ])('float %p is written %j (strconv.FormatFloat g, 32 bits)', (f, text) => {
    expect(formatFloat32(f)).toBe(text);
  });

  it('writes numbers and booleans where a string belongs as Go does', () => {
    expect(['80.0', '1e2', '0x50', '0100', '1_00', '"99.5"', 'true', 'yes', '.inf', '1.5e6'].map(weightOf)).toEqual(['80', '100', '80', '64', '100', '99.5', 'true', 'true', '+Inf', '1.5e+06']);
  });

  it('reads the first document, lets later duplicate keys win, follows aliases and merges', () => {
    expect(decode('Classes:\n  x:\n    - Weight: 20\n---\nClasses:\n  x:\n    - Weight: 30\n')![0][1][0].Weight).toBe('20');
    expect(decode('Classes:\n  x:\n    - Weight: 20\n  x:\n    - Weight: 30\n')).toEqual([['x', [expect.objectContaining({ Weight: '30' })]]]);
    expect(decode('a: &w 55\nClasses:\n  x:\n    - Weight: *w\n')![0][1][0].Weight).toBe('55');
    expect(decode('b: &b\n  - Weight: 30\nClasses:\n  <<: {x: *b}\n  y: *b\n')!.map(([n]) => n)).toEqual(['true', 'x']);
  });

  it('names classes by their keys as text: y is true, 0x10 is 16', () => {
    expect(decode('Classes:\n  y: []\n  0x10: []\n  1.5: []\n  z:\n')!.map(([n]) => n)).toEqual(['1.5', '16', 'true', 'z']);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(() => parseGoYaml('Classes:\n  x:\n\t- Weight: 20\n')).toThrow(new YamlSyntaxError('yaml: line 3: Tabs are not allowed as indentation'));
    expect(() => parseGoYaml('Classes:\n  x:\n    - Weight: *nope\n')).toThrow(/^yaml: unknown anchor 'nope' referenced$/);
  });
});

describe('blockio Config decoding', () => {
  it('matches field names in any case, sorted, the last one winning, ignoring unknown keys', () => {
    const c = decode('classes:\n  x:\n    - weight: 20\n      Weight: 30\n      DEVICES: [/dev/a, 5, ~]\n      Foo: 1\n      throttlereadbps: 1M\n');
    expect(c).toEqual([['x', [{ Devices: ['/dev/a', '5', ''], ThrottleReadBps: '1M', ThrottleWriteBps: '', ThrottleReadIOPS: '', ThrottleWriteIOPS: '', Weight: '20' }]]]);
  });

  it('keeps "no Devices" apart from "Devices: []", and null apart from missing', () => {
    const c = decode('Classes:\n  a:\n    - Weight: 10\n    - Devices: []\n    - Devices: ~\n  b:\n  c: []\n')!;
    expect(c.map(([n, e]) => [n, e.map((p) => p.Devices)])).toEqual([
      ['a', [null, [], null]],
      ['b', []],
      ['c', []],
    ]);
  });

  it('has no classes for an empty or null document', () => {
    expect(decode('')).toBeNull();
    expect(decode('~\n')).toBeNull();
    expect(decode('Classes:\n')).toEqual([]);
    expect(decode('other: 1\n')).toEqual([]);
  });

  it.each([
    ['Classes:\n  x:\n    - Weight: [1]\n', 'json: cannot unmarshal array into Go struct field .Classes.x.0.Weight of type string'],
    ['Classes:\n  x:\n    - Devices: /dev/vda\n', 'json: cannot unmarshal string into Go struct field .Classes.x.0.Devices of type []string'],
    ['Classes:\n  x:\n    - Devices: [{a: 1}]\n', 'json: cannot unmarshal object into .Classes.x.0.Devices.0 of type string'],
    ['Classes:\n  x: [5, "s"]\n', 'json: cannot unmarshal number into .Classes.x.0 of type blockio.DevicesParameters'],
    ['Classes:\n  x:\n    Weight: 50\n', 'json: cannot unmarshal object into Go struct field .Classes.x of type []blockio.DevicesParameters'],
    ['Classes:\n  b: 5\n  a: true\n', 'json: cannot unmarshal bool into Go struct field .Classes.a of type []blockio.DevicesParameters'],
    ['Classes:\n  - x\n', 'json: cannot unmarshal array into Go struct field .Classes of type map[string][]blockio.DevicesParameters'],
    ['Classes: 5\n', 'json: cannot unmarshal number into Go struct field .Classes of type map[string][]blockio.DevicesParameters'],
    ['[1, 2]\n', 'json: cannot unmarshal array into Go value of type blockio.Config'],
    ['foo\n', 'json: cannot unmarshal string into Go value of type blockio.Config'],
  ])('rejects %j as Go does', (text, message) => {
    expect(() => decode(text)).toThrow(new GoJSONTypeError(message));
  });
});
