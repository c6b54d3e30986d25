/**
 * The message registry: protobufjs reflection built lazily, one proto package at
 * a time, from the JSON descriptors that scripts/gen-api.js writes. Nothing
 * parses .proto files at run time, and a command pays only for the packages its
 * calls touch.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs/light';
import Long = require('long');

// protobufjs looks for `long` through an indirect require that bundlers cannot
// see; hand it over so 64-bit integers keep their precision in the bundle too.
protobuf.util.Long = Long;
protobuf.configure();

/**
 * protobufjs compiles five functions per message type on its first use
 * (encode, decode, verify, fromObject, toObject), each through `new Function`,
 * which V8's code cache cannot keep. ctrx never verifies, encodes only
 * requests and decodes only responses, so each function is compiled when it
 * is first called instead: a `run` compiles well under half as much. Types
 * protobufjs wraps (google.protobuf.Any and friends) keep the stock set-up.
 */
function compileCodecsOnDemand(): void {
  const P = protobuf.Type.prototype as unknown as Record<string, unknown>;
  const stockSetup = P.setup as (this: protobuf.Type) => protobuf.Type;
  const wrapped = protobuf.wrappers as Record<string, unknown>;
  const fieldTypes = (t: protobuf.Type) => {
    // Feature defaults (field presence) are resolved before any codec is made, as protobufjs's own set-up does.
    const root = t.root as unknown as { _needsRecursiveFeatureResolution?: boolean; _edition?: string; _resolveFeaturesRecursive(e: string): void };
    const edition = root?._edition || (t as unknown as { _edition?: string })._edition;
    if (root?._needsRecursiveFeatureResolution && edition) root._resolveFeaturesRecursive(edition);
    return t.fieldsArray.map((f) => f.resolve().resolvedType);
  };
  const make: Record<string, (t: protobuf.Type) => unknown> = {
    encode: (t) => protobuf.encoder(t)({ Writer: protobuf.Writer, types: fieldTypes(t), util: protobuf.util }),
    decode: (t) => protobuf.decoder(t)({ Reader: protobuf.Reader, types: fieldTypes(t), util: protobuf.util, C: t.ctor }),
    fromObject: (t) => protobuf.converter.fromObject(t)({ types: fieldTypes(t), util: protobuf.util, C: t.ctor }),
    toObject: (t) => protobuf.converter.toObject(t)({ types: fieldTypes(t), util: protobuf.util }),
  };
  for (const [name, build] of Object.entries(make)) {
    P[name] = function onFirstCall(this: protobuf.Type, ...args: unknown[]) {
      const self = this as unknown as Record<string, (...a: unknown[]) => unknown>;
      if (wrapped[this.fullName]) stockSetup.call(this);
      else self[name] = build(this) as (...a: unknown[]) => unknown;
      return self[name].apply(this, args);
    };
  }
}
compileCodecsOnDemand();

let descriptorDir: string | undefined;

function findDescriptorDir(): string {
  if (descriptorDir) return descriptorDir;
  const fromEnv = process.env.CTRX_API_DESCRIPTORS;
  if (fromEnv) return (descriptorDir = fromEnv);
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'api', 'gen', 'descriptors');
    if (fs.existsSync(candidate)) return (descriptorDir = candidate);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('api/gen/descriptors not found: run `npm run build` first');
    dir = up;
  }
}

const root = new protobuf.Root();
const loaded = new Set<string>();
let packageDeps: Record<string, string[]> | undefined;

function deps(pkg: string): string[] {
  if (!packageDeps) {
    packageDeps = JSON.parse(fs.readFileSync(path.join(findDescriptorDir(), '..', 'packages.json'), 'utf8'));
  }
  return packageDeps![pkg] ?? [];
}

/** Make a proto package (and the packages it refers to) known to the registry. */
export function loadPackage(pkg: string): void {
  if (loaded.has(pkg)) return;
  loaded.add(pkg);
  const file = path.join(findDescriptorDir(), `${pkg}.json`);
  if (!fs.existsSync(file)) {
    loaded.delete(pkg);
    throw new Error(`unknown proto package ${pkg}`);
  }
  for (const d of deps(pkg)) loadPackage(d);
  root.addJSON(JSON.parse(fs.readFileSync(file, 'utf8')).nested);
}

/** Every proto package the descriptors describe. */
export function allPackages(): string[] {
  deps('');
  return Object.keys(packageDeps!);
}

/**
 * Find a message, enum or service by its fully qualified name. Its package
 * (the longest known prefix) is loaded first: protobufjs caches failed
 * lookups, so a name must never be looked up before its package is there.
 */
function lookup(fullName: string): protobuf.ReflectionObject | null {
  const name = fullName.replace(/^\./, '');
  const pkgs = allPackages();
  const parts = name.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const pkg = parts.slice(0, i).join('.');
    if (pkgs.includes(pkg)) {
      loadPackage(pkg);
      return root.lookup(name);
    }
  }
  return null;
}

/** The message type `fullName`, or an error naming it. */
export function messageType(fullName: string): protobuf.Type {
  const t = lookup(fullName);
  if (!(t instanceof protobuf.Type)) throw new Error(`unknown message type ${fullName}`);
  return t;
}

/** The enum `fullName`, or undefined. */
export function enumType(fullName: string): protobuf.Enum | undefined {
  const t = lookup(fullName);
  return t instanceof protobuf.Enum ? t : undefined;
}

/** The service `fullName`, or an error naming it. */
export function serviceType(fullName: string): protobuf.Service {
  const s = lookup(fullName);
  if (!(s instanceof protobuf.Service)) throw new Error(`unknown service ${fullName}`);
  return s;
}

/** Options used for every decode: proto field names, 64-bit as strings, enums by name. */
export const DECODE_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: Buffer as unknown as StringConstructor,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
};

/** Encode a plain object (proto field names) as `typeName`. */
export function encode(typeName: string, value: object): Buffer {
  const t = messageType(typeName);
  return Buffer.from(t.encode(t.fromObject(value)).finish());
}

/** Decode bytes of `typeName` into a plain object with every field present. */
export function decode<T = Record<string, unknown>>(typeName: string, data: Uint8Array): T {
  const t = messageType(typeName);
  return t.toObject(t.decode(data), DECODE_OPTIONS) as T;
}

export { protobuf };
