#!/usr/bin/env node
'use strict';
// Code generation from api/proto, run by `npm run build`:
//   api/gen/descriptors/<package>.json  protobufjs JSON for one proto package,
//                                       loaded lazily at run time (no .proto parsing)
//   api/gen/packages.json               package -> packages it references
//   api/gen/types.ts                    TypeScript interfaces of every message and enum
//   api/gen/services.ts                 every service and method, with streaming kinds,
//                                       and a typed method map for the client
const fs = require('fs');
const path = require('path');
const { loadProtos, listProtoFiles, protobuf } = require('./lib/proto-model');

const ROOT = path.join(__dirname, '..');
const PROTO = path.join(ROOT, 'api', 'proto');
const GEN = path.join(ROOT, 'api', 'gen');

const root = loadProtos([PROTO], listProtoFiles(PROTO));

const SCALAR_TS = {
  double: 'number', float: 'number', int32: 'number', uint32: 'number', sint32: 'number',
  fixed32: 'number', sfixed32: 'number', int64: 'string', uint64: 'string', sint64: 'string',
  fixed64: 'string', sfixed64: 'string', bool: 'boolean', string: 'string', bytes: 'Buffer',
};

const strip = (n) => n.replace(/^\./, '');
const pkgOf = (obj) => {
  let p = obj.parent;
  while (p && (p instanceof protobuf.Type || p instanceof protobuf.Service || p instanceof protobuf.Enum)) p = p.parent;
  return strip(p.fullName);
};

// Group every message, enum and service by its proto package.
const packages = new Map(); // pkg -> { objs: [], deps: Set }
const services = [];
const types = [];
(function walk(ns) {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Type || obj instanceof protobuf.Enum || obj instanceof protobuf.Service || obj instanceof protobuf.Field) {
      const pkg = pkgOf(obj);
      if (!packages.has(pkg)) packages.set(pkg, { objs: [], deps: new Set() });
      packages.get(pkg).objs.push(obj);
      if (obj instanceof protobuf.Service) services.push(obj);
    }
    if (obj instanceof protobuf.Type || obj instanceof protobuf.Enum) types.push(obj);
    if (obj instanceof protobuf.Namespace && !(obj instanceof protobuf.Service)) {
      if (!(obj instanceof protobuf.Type)) walk(obj);
      else walkNested(obj);
    }
  }
})(root);
function walkNested(t) {
  for (const n of t.nestedArray) {
    if (n instanceof protobuf.Type || n instanceof protobuf.Enum) types.push(n);
    if (n instanceof protobuf.Type) walkNested(n);
  }
}

// Dependencies between packages, from field, method and extension types.
function noteDep(fromPkg, typeObj) {
  if (!typeObj) return;
  const to = pkgOf(typeObj);
  if (to !== fromPkg) packages.get(fromPkg).deps.add(to);
}
for (const t of types) {
  if (!(t instanceof protobuf.Type)) continue;
  for (const f of t.fieldsArray) noteDep(pkgOf(t), f.resolvedType);
}
for (const s of services) {
  for (const m of s.methodsArray) {
    noteDep(pkgOf(s), m.resolvedRequestType);
    noteDep(pkgOf(s), m.resolvedResponseType);
  }
}

// Per-package JSON: the package's own definitions with fully qualified type
// names, so that packages can be added to one Root in any order.
function qualify(json, ns) {
  // protobufjs toJSON keeps the names as written; ours are all fully qualified.
  void ns;
  return json;
}
fs.rmSync(path.join(GEN, 'descriptors'), { recursive: true, force: true });
fs.mkdirSync(path.join(GEN, 'descriptors'), { recursive: true });
const pkgIndex = {};
for (const [pkg, { objs, deps }] of packages) {
  const nested = {};
  for (const obj of objs) nested[obj.name] = qualify(obj.toJSON({ keepComments: false }), pkg);
  // Build the nested namespace wrapper a.b.c -> {nested:{a:{nested:{b:...}}}}.
  let doc = { nested };
  for (const part of pkg.split('.').reverse()) doc = { nested: { [part]: doc } };
  fs.writeFileSync(path.join(GEN, 'descriptors', `${pkg}.json`), JSON.stringify(doc));
  pkgIndex[pkg] = [...deps].sort();
}
fs.writeFileSync(path.join(GEN, 'packages.json'), JSON.stringify(pkgIndex, null, 1) + '\n');

// TypeScript interfaces, in namespaces that mirror the proto packages.
function tsFieldType(f) {
  let base;
  if (f.resolvedType instanceof protobuf.Enum) base = tsName(f.resolvedType);
  else if (f.resolvedType) base = tsName(f.resolvedType);
  else base = SCALAR_TS[f.type] || 'unknown';
  if (f.map) return `{ [key: string]: ${base} }`;
  if (f.repeated) return `${base}[]`;
  if (f.resolvedType instanceof protobuf.Type) return `${base} | null`;
  return base;
}
function tsName(obj) {
  return strip(obj.fullName);
}
const byNs = new Map();
for (const t of types) {
  const full = strip(t.fullName);
  const ns = full.slice(0, full.lastIndexOf('.'));
  const name = full.slice(full.lastIndexOf('.') + 1);
  let decl;
  if (t instanceof protobuf.Enum) {
    decl = `export type ${name} = ${Object.keys(t.values).map((v) => JSON.stringify(v)).join(' | ')};`;
  } else {
    const lines = t.fieldsArray.map((f) => `  ${JSON.stringify(f.name)}: ${tsFieldType(f)};`);
    decl = `export interface ${name} {\n${lines.join('\n')}\n}`;
  }
  if (!byNs.has(ns)) byNs.set(ns, []);
  byNs.get(ns).push(decl);
}
const typeOut = ['// Generated by scripts/gen-api.js from api/proto. Do not edit.', '/* eslint-disable */', ''];
for (const [ns, decls] of [...byNs].sort()) {
  typeOut.push(`export declare namespace ${ns} {`);
  for (const d of decls) typeOut.push(d.split('\n').map((l) => '  ' + l).join('\n'));
  typeOut.push('}', '');
}
fs.writeFileSync(path.join(GEN, 'types.ts'), typeOut.join('\n'));

// The service table and a typed method map.
const kind = (m) => (m.requestStream ? (m.responseStream ? 'bidi' : 'client') : m.responseStream ? 'server' : 'unary');
const svcOut = [
  '// Generated by scripts/gen-api.js from api/proto. Do not edit.',
  "import type * as T from './types';",
  '',
  "export type CallKind = 'unary' | 'server' | 'client' | 'bidi';",
  '/** One RPC: its request and response message types and its streaming kind. */',
  'export interface MethodInfo { name: string; request: string; response: string; kind: CallKind }',
  '/** One service: its proto package and methods. */',
  'export interface ServiceInfo { name: string; package: string; methods: { [method: string]: MethodInfo } }',
  '',
  '/** Every service ctrx knows, by fully qualified name. */',
  'export const SERVICES: { [service: string]: ServiceInfo } = {',
];
const mapOut = ['/** Request, response and kind of every method, for typed calls. */', 'export interface Methods {'];
for (const s of services.sort((a, b) => a.fullName.localeCompare(b.fullName))) {
  const sname = strip(s.fullName);
  svcOut.push(`  ${JSON.stringify(sname)}: { name: ${JSON.stringify(sname)}, package: ${JSON.stringify(pkgOf(s))}, methods: {`);
  mapOut.push(`  ${JSON.stringify(sname)}: {`);
  for (const m of s.methodsArray) {
    const req = strip(m.resolvedRequestType.fullName);
    const res = strip(m.resolvedResponseType.fullName);
    svcOut.push(`    ${m.name}: { name: ${JSON.stringify(m.name)}, request: ${JSON.stringify(req)}, response: ${JSON.stringify(res)}, kind: '${kind(m)}' },`);
    mapOut.push(`    ${m.name}: { request: T.${req}; response: T.${res}; kind: '${kind(m)}' };`);
  }
  svcOut.push('  } },');
  mapOut.push('  };');
}
svcOut.push('};', '');
mapOut.push('}', '');
fs.writeFileSync(path.join(GEN, 'services.ts'), [...svcOut, ...mapOut].join('\n'));

console.log(`gen-api: ${packages.size} packages, ${services.length} services, ${types.length} types`);
