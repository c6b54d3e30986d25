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
