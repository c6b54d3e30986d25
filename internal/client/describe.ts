/**
 * The shapes behind `ctrx api describe`: services with their methods, and
 * messages and enums with their fields (numbers, types, labels, oneofs), from
 * the same descriptors the codec uses.
 */
import { allPackages, loadPackage, protobuf, serviceType } from '../api/registry';
import type { Services } from './api-catalog';
import { resolveMethod, SERVING_PLUGIN } from './api-catalog';
import { UsageError } from '../errdefs';

export interface FieldShape {
  name: string;
  number: number;
  type: string;
  label: 'optional' | 'repeated' | 'map' | '';
  key_type?: string;
  oneof?: string;
}
export interface MessageShape {
  kind: 'message';
  name: string;
  fields: FieldShape[];
}
export interface EnumShape {
  kind: 'enum';
  name: string;
  values: { name: string; number: number }[];
}
export interface MethodShape {
  kind: 'method';
  name: string;
  service: string;
  streaming: string;
  request: MessageShape;
  response: MessageShape;
}
export interface ServiceShape {
  kind: 'service';
  name: string;
  served_by: string;
  methods: { name: string; streaming: string; request: string; response: string }[];
}
export type Shape = MessageShape | EnumShape | MethodShape | ServiceShape;

let everything: protobuf.Root | undefined;

/** The registry's root with every package loaded (describe may name any type). */
function root(): protobuf.Root {
  if (!everything) {
    for (const p of allPackages()) loadPackage(p);
    everything = serviceType('containerd.services.version.v1.Version').root;
  }
  return everything;
}

/** Every message and enum ctrx knows, by full name. */
export function allTypeNames(): string[] {
  const out: string[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type || o instanceof protobuf.Enum) out.push(o.fullName.slice(1));
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o as protobuf.NamespaceBase);
    }
  };
  walk(root());
  return out.sort();
}

/** The shape of a message type. */
export function messageShape(t: protobuf.Type): MessageShape {
  return {
    kind: 'message',
    name: t.fullName.slice(1),
    fields: t.fieldsArray.map((f) => {
      f.resolve();
      const type = f.resolvedType ? f.resolvedType.fullName.slice(1) : f.type;
      const mf = f as unknown as protobuf.MapField;
      const shape: FieldShape = {
        name: f.name,
        number: f.id,
        type,
        label: f.map ? 'map' : f.repeated ? 'repeated' : f.options?.proto3_optional ? 'optional' : '',
      };
      if (f.map) shape.key_type = mf.keyType;
      if (f.partOf && !f.options?.proto3_optional) shape.oneof = f.partOf.name;
      return shape;
    }),
  };
}

function enumShape(e: protobuf.Enum): EnumShape {
  return { kind: 'enum', name: e.fullName.slice(1), values: Object.entries(e.values).map(([name, number]) => ({ name, number })) };
}

function serviceShape(services: Services, name: string): ServiceShape {
  const s = services[name];
  return {
    kind: 'service',
    name,
    served_by: servedBy(name),
    methods: Object.values(s.methods).map((m) => ({ name: m.name, streaming: m.kind, request: m.request, response: m.response })),
  };
}

/** Where a service is served, in words. */
export function servedBy(service: string): string {
  const p = SERVING_PLUGIN[service];
  if (!p) return 'unknown';
  if (p === 'ttrpc') return "containerd's ttrpc socket";
  if (p === 'shim') return "a shim's ttrpc socket";
  return `plugin io.containerd.grpc.v1.${p}`;
}

/**
 * Describe a service, a method (`service/method`) or a message or enum, by
 * full name or an unambiguous dotted suffix.
 */
export function describeName(services: Services, name: string): Shape {
  const n = name.replace(/^\./, '');
  if (n.includes('/')) return methodShape(services, n);
  const svcMatches = Object.keys(services).filter((s) => s === n || s.endsWith(`.${n}`));
  const typeMatches = allTypeNames().filter((t) => t === n || t.endsWith(`.${n}`));
  const exact = [...svcMatches, ...typeMatches].filter((x) => x === n);
  const matches = exact.length ? exact : [...svcMatches, ...typeMatches];
  if (matches.length > 1) throw new UsageError(`${JSON.stringify(name)} is ambiguous: ${matches.join(', ')}`);
  if (matches.length === 1) {
    if (services[matches[0]]) return serviceShape(services, matches[0]);
    const t = root().lookup(matches[0]);
    if (t instanceof protobuf.Type) return messageShape(t);
    if (t instanceof protobuf.Enum) return enumShape(t);
  }
  // service.Method, as grpcurl writes it.
  try {
    return methodShape(services, n);
  } catch {
    throw new UsageError(`unknown service, method or message ${JSON.stringify(name)}`);
  }
}

function methodShape(services: Services, spec: string): MethodShape {
  const { service, method } = resolveMethod(services, spec);
  return {
    kind: 'method',
    name: method.name,
    service: service.name,
    streaming: method.kind,
    request: messageShape(root().lookupType(method.request)),
    response: messageShape(root().lookupType(method.response)),
  };
}

const STREAM_WORDS: Record<string, [string, string]> = {
  unary: ['', ''],
  server: ['', 'stream '],
  client: ['stream ', ''],
  bidi: ['stream ', 'stream '],
};

function fieldLine(f: FieldShape): string {
  const type = f.label === 'map' ? `map<${f.key_type}, ${f.type}>` : `${f.label ? f.label + " " : ""}${f.type}`;
  return `${type} ${f.name} = ${f.number};`;
}

/** A message as proto-like text, oneof members grouped. */
export function messageText(m: MessageShape, indent = ''): string {
  const lines = [`${indent}message ${m.name} {`];
  const seen = new Set<string>();
  for (const f of m.fields) {
    if (f.oneof) {
      if (seen.has(f.oneof)) continue;
      seen.add(f.oneof);
      lines.push(`${indent}  oneof ${f.oneof} {`);
      for (const g of m.fields.filter((x) => x.oneof === f.oneof)) lines.push(`${indent}    ${fieldLine(g)}`);
      lines.push(`${indent}  }`);
    } else {
      lines.push(`${indent}  ${fieldLine(f)}`);
    }
  }
  lines.push(`${indent}}`);
  return lines.join('\n') + '\n';
}

/** Any shape as proto-like text. */
export function shapeText(s: Shape): string {
  switch (s.kind) {
    case 'message':
      return messageText(s);
    case 'enum':
      return `enum ${s.name} {\n${s.values.map((v) => `  ${v.name} = ${v.number};\n`).join('')}}\n`;
    case 'service': {
      const rows = s.methods.map((m) => {
        const [a, b] = STREAM_WORDS[m.streaming];
        return `  rpc ${m.name}(${a}${m.request}) returns (${b}${m.response});`;
      });
      return `// served by ${s.served_by}\nservice ${s.name} {\n${rows.join('\n')}\n}\n`;
    }
    case 'method': {
      const [a, b] = STREAM_WORDS[s.streaming];
      return (
        `rpc ${s.service}/${s.name}(${a}${s.request.name}) returns (${b}${s.response.name});  // ${s.streaming}\n\n` +
        `${messageText(s.request)}\n${messageText(s.response)}`
      );
    }
  }
}
