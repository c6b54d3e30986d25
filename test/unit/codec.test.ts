import { decode, encode } from '../../internal/api/registry';
import { toJSONValue, timestampToRFC3339 } from '../../internal/api/json';
import { packAny, packJSON, unpackAny, OCI_SPEC_URL } from '../../internal/typeurl';

describe('message codec', () => {
  it('keeps 64-bit integers exact', () => {
    const big = '18446744073709551615'; // max uint64
    const bytes = encode('containerd.services.introspection.v1.ServerResponse', { uuid: 'u', pid: big, pidns: '9007199254740993' });
    const back = decode<{ pid: string; pidns: string }>('containerd.services.introspection.v1.ServerResponse', bytes);
    expect(back.pid).toBe(big);
    expect(back.pidns).toBe('9007199254740993');
  });

  it('fills in defaults and uses proto field names', () => {
    const m = decode('containerd.types.Descriptor', encode('containerd.types.Descriptor', { media_type: 'x' }));
    expect(m).toEqual({ media_type: 'x', digest: '', size: '0', annotations: {} });
  });

  it('writes protojson-style JSON: enums by name, timestamps as RFC 3339, bytes as base64', () => {
    const task = decode('containerd.v1.types.Process', encode('containerd.v1.types.Process', {
      id: 't', status: 2, exited_at: { seconds: '1700000000', nanos: 5000 },
    }));
    const json = toJSONValue('containerd.v1.types.Process', task) as Record<string, unknown>;
    expect(json.status).toBe('RUNNING');
    expect(json.exited_at).toBe('2023-11-14T22:13:20.000005Z');
    expect(timestampToRFC3339({ seconds: 0, nanos: 0 })).toBe('1970-01-01T00:00:00Z');
  });
});

describe('Any', () => {
  it('packs with a bare type URL and unpacks both bare and prefixed URLs', () => {
    const any = packAny('containerd.events.TaskExit', { container_id: 'c1', exit_status: 3 });
    expect(any.type_url).toBe('containerd.events.TaskExit');
    const bare = unpackAny(any)!;
    expect(bare.typeName).toBe('containerd.events.TaskExit');
    expect((bare.value as { exit_status: number }).exit_status).toBe(3);
    const prefixed = unpackAny({ type_url: 'type.googleapis.com/containerd.events.TaskExit', value: any.value })!;
    expect((prefixed.value as { container_id: string }).container_id).toBe('c1');
  });

  it('decodes the OCI spec as JSON', () => {
    const any = packJSON(OCI_SPEC_URL, { ociVersion: '1.0.2' });
    expect(unpackAny(any)).toEqual({ typeName: OCI_SPEC_URL, value: { ociVersion: '1.0.2' }, proto: false });
  });

  it('shows an unknown payload with its type and bytes', () => {
    const json = toJSONValue('google.protobuf.Any', { type_url: 'example.Unknown', value: Buffer.from([1, 2]) });
    expect(json).toEqual({ '@type': 'example.Unknown', value: 'AQI=' });
  });
});
