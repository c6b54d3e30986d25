/**
 * google.protobuf.Any as containerd uses it: the type URL is the bare proto
 * name (containerd.events.TaskExit), and a few non-proto payloads (the OCI
 * spec) travel as JSON under their own URLs. Decoding accepts prefixed URLs
 * (type.googleapis.com/...) too; encoding sends bare ones.
 */
import { decode, encode, messageType } from './api/registry';

/** The OCI runtime spec, JSON-encoded inside an Any. */
export const OCI_SPEC_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
/** Other JSON payloads containerd puts in Any fields. */
export const JSON_TYPE_URLS = new Set([
  OCI_SPEC_URL,
  'types.containerd.io/opencontainers/runtime-spec/1/Process',
  'types.containerd.io/opencontainers/runtime-spec/1/LinuxResources',
  'types.containerd.io/opencontainers/runtime-spec/1/WindowsResources',
  'github.com/containerd/cri/pkg/store/container/Metadata',
  'github.com/containerd/cri/pkg/store/sandbox/Metadata',
]);

export interface AnyMessage {
  type_url: string;
  value: Buffer;
}

/** The proto message name behind a type URL (anything after the last '/'). */
export function messageNameOf(typeUrl: string): string {
  const slash = typeUrl.lastIndexOf('/');
  return slash >= 0 ? typeUrl.slice(slash + 1) : typeUrl;
}

/** Wrap a proto message (plain object) in an Any with a bare type URL. */
export function packAny(typeName: string, value: object): AnyMessage {
  return { type_url: typeName, value: encode(typeName, value) };
}

/** Wrap a JSON payload (such as the OCI spec) in an Any. */
export function packJSON(typeUrl: string, value: unknown): AnyMessage {
  return { type_url: typeUrl, value: Buffer.from(JSON.stringify(value)) };
}

/**
 * Decode an Any: JSON payloads are parsed, proto messages decoded when ctrx
 * knows the type; otherwise undefined.
 */
export function unpackAny(any: AnyMessage | null | undefined): { typeName: string; value: unknown; proto: boolean } | undefined {
  if (!any || !any.type_url) return undefined;
  const value = Buffer.from(any.value ?? []);
  if (JSON_TYPE_URLS.has(any.type_url) || value[0] === 0x7b /* { */ && looksLikeJSON(any.type_url)) {
    try {
      return { typeName: any.type_url, value: JSON.parse(value.toString('utf8')), proto: false };
    } catch {
      return undefined;
    }
  }
  const name = messageNameOf(any.type_url);
  try {
    messageType(name);
  } catch {
    return undefined;
  }
  return { typeName: name, value: decode(name, value), proto: true };
}

// Type URLs with a host-like or path-like prefix that are not proto names are
// JSON registrations in containerd's typeurl registry.
function looksLikeJSON(url: string): boolean {
  return url.includes('/') && !url.startsWith('type.googleapis.com/');
}
