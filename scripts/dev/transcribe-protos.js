#!/usr/bin/env node
'use strict';
// Bootstraps api/proto: reads the API definitions that Debian ships for
// containerd 1.6 and 2.x and for CRI (see scripts/fetch-upstream-protos.sh),
// keeps only the wire contract (names, numbers, types, labels, streaming kinds;
// no comments, no code-generator options) and writes it out in ctrx's own
// layout, with the 1.6 and 2.x lines merged into one superset.
//
// api/proto is the maintained source after this; the conformance test keeps it
// honest. Run again only to take in a new API release:
//   node scripts/dev/transcribe-protos.js <upstream-cache-dir>
const fs = require('fs');
const path = require('path');
const { loadProtos, listProtoFiles, protobuf } = require('../lib/proto-model');
const { upstreamSets, OUR_PROTO_DIR } = require('../lib/upstream');

const cache = process.argv[2];
if (!cache) {
  console.error('usage: transcribe-protos.js <upstream-cache-dir>');
  process.exit(2);
}

const sets = upstreamSets(cache);
const extraRoots = [OUR_PROTO_DIR];

// file (our layout) -> { pkg, objects: Map(name -> reflection object) }
const files = new Map();
const ownerOf = new Map(); // fully qualified top-level name -> our file

function addRoot(set) {
  const root = loadProtos([set.root, ...extraRoots], set.files, { stubOptionImports: true });
  const visitPkg = (ns) => {
    for (const obj of ns.nestedArray) {
      const isPlainNamespace = obj instanceof protobuf.Namespace && !(obj instanceof protobuf.Type) &&
        !(obj instanceof protobuf.Service) && !(obj instanceof protobuf.Enum);
      if (isPlainNamespace) { visitPkg(obj); continue; }
      if (!obj.filename || !obj.filename.startsWith(set.root)) continue; // google.* and friends
      const rel = set.mapPath(path.relative(set.root, obj.filename));
      if (!rel) continue;
      const full = obj.fullName.replace(/^\./, '');
      if (!files.has(rel)) files.set(rel, { pkg: ns.fullName.replace(/^\./, ''), objects: new Map() });
      const entry = files.get(rel);
      const existing = entry.objects.get(full);
      if (!existing) {
        if (ownerOf.has(full) && ownerOf.get(full) !== rel) {
          throw new Error(`${full} defined in ${ownerOf.get(full)} and ${rel}`);
        }
        ownerOf.set(full, rel);
        entry.objects.set(full, obj);
      } else {
        mergeInto(existing, obj, full);
      }
    }
  };
  visitPkg(root);
}

// A message that moved package between releases (1.6's events Envelope became
// containerd.types.Envelope) is the same on the wire if its fields are.
function sameShape(a, b) {
  if (!(a instanceof protobuf.Type) || !(b instanceof protobuf.Type)) return false;
  const sig = (t) => t.fieldsArray.map((f) => `${f.id}:${f.name}:${f.type.split('.').pop()}:${f.repeated}`).sort().join(',');
  return sig(a) === sig(b);
}

// Superset merge: fields, values and methods that only one release has are added.
function mergeInto(into, from, name) {
  if (into instanceof protobuf.Type) {
    for (const f of from.fieldsArray) {
      const have = into.fieldsById[f.id];
      if (have) {
        const sameType = have.type === f.type || sameShape(have.resolvedType, f.resolvedType);
        if (have.name !== f.name || !sameType || have.repeated !== f.repeated) {
          throw new Error(`${name}: field ${f.id} differs between releases (${have.name} ${have.type} / ${f.name} ${f.type})`);
        }
        continue;
      }
      into.__extraFields = into.__extraFields || [];
      into.__extraFields.push(f);
    }
    for (const n of from.nestedArray) {
      const mine = into.nested && into.nested[n.name];
      if (mine) mergeInto(mine, n, `${name}.${n.name}`);
      else { into.__extraNested = into.__extraNested || []; into.__extraNested.push(n); }
    }
  } else if (into instanceof protobuf.Enum) {
    for (const [k, v] of Object.entries(from.values)) {
      if (!(k in into.values)) { into.__extraValues = into.__extraValues || {}; into.__extraValues[k] = v; }
    }
  } else if (into instanceof protobuf.Service) {
    for (const m of from.methodsArray) {
      if (!into.methods[m.name]) { into.__extraMethods = into.__extraMethods || []; into.__extraMethods.push(m); }
    }
  }
}

// The newest release first, so its layout and order lead.
for (const set of sets) addRoot(set);

const SCALARS = new Set(['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes']);

const WELL_KNOWN = { Empty: 'empty', Any: 'any', Timestamp: 'timestamp', Duration: 'duration',
  FieldMask: 'field_mask', Struct: 'struct', Value: 'struct', ListValue: 'struct', NullValue: 'struct' };
function wellKnownFile(full) {
  const short = full.split('.')[2];
  if (WELL_KNOWN[short]) return `google/protobuf/${WELL_KNOWN[short]}.proto`;
  if (/Value$/.test(short)) return 'google/protobuf/wrappers.proto';
  return 'google/protobuf/descriptor.proto';
}

function typeRef(field, imports, selfFile) {
  if (SCALARS.has(field.type)) return field.type;
  const t = field.resolvedType;
  const full = t.fullName.replace(/^\./, '');
  if (full.startsWith('google.protobuf.')) {
    imports.add(wellKnownFile(full));
  } else if (full.startsWith('google.rpc.')) {
    imports.add('google/rpc/status.proto');
  } else {
    let top = t;
    while (top.parent && !(top.parent instanceof protobuf.Root) &&
      (top.parent instanceof protobuf.Type)) top = top.parent;
    const owner = ownerOf.get(top.fullName.replace(/^\./, ''));
    if (!owner) throw new Error(`no file owns ${full}`);
    if (owner !== selfFile) imports.add(owner);
  }
  return '.' + full;
}

function fieldOptions(f) {
  const opts = [];
  if (f.options && f.options.packed === false) opts.push('packed = false');
  return opts.length ? ` [${opts.join(', ')}]` : '';
}

function emitField(f, ind, imports, selfFile) {
  if (f.map) {
    const v = typeRef(f, imports, selfFile);
    return `${ind}map<${f.keyType}, ${v}> ${f.name} = ${f.id};`;
  }
  const label = f.repeated ? 'repeated ' : (f.options && f.options.proto3_optional ? 'optional ' : '');
  return `${ind}${label}${typeRef(f, imports, selfFile)} ${f.name} = ${f.id}${fieldOptions(f)};`;
}

function emitEnum(e, ind) {
  const values = { ...e.values, ...(e.__extraValues || {}) };
  const lines = [`${ind}enum ${e.name} {`];
  if (Object.values(values).some((v, i, a) => a.indexOf(v) !== i)) lines.push(`${ind}  option allow_alias = true;`);
  for (const [k, v] of Object.entries(values)) lines.push(`${ind}  ${k} = ${v};`);
  lines.push(`${ind}}`);
  return lines;
}

function emitMessage(t, ind, imports, selfFile) {
  const lines = [`${ind}message ${t.name} {`];
  const inner = ind + '  ';
  for (const n of [...t.nestedArray, ...(t.__extraNested || [])]) {
    if (n instanceof protobuf.Type) lines.push(...emitMessage(n, inner, imports, selfFile));
    else if (n instanceof protobuf.Enum) lines.push(...emitEnum(n, inner));
  }
  const all = [...t.fieldsArray, ...(t.__extraFields || [])];
  const realOneofs = t.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0].options && o.fieldsArray[0].options.proto3_optional));
  const inOneof = new Set(realOneofs.flatMap((o) => o.fieldsArray));
  const emittedOneofs = new Set();
  for (const f of all) {
    if (inOneof.has(f)) {
      const o = f.partOf;
      if (emittedOneofs.has(o)) continue;
      emittedOneofs.add(o);
      lines.push(`${inner}oneof ${o.name} {`);
      for (const of of o.fieldsArray) lines.push(emitField(of, inner + '  ', imports, selfFile));
      lines.push(`${inner}}`);
    } else {
      lines.push(emitField(f, inner, imports, selfFile));
    }
  }
  // A number the newer release reserves but an older one still uses stays a
  // field in the superset; only the reservations no release uses are kept.
  const used = new Set(all.map((f) => f.id));
  const reserved = (t.reserved || []).filter((r) => !Array.isArray(r) || ![...Array(r[1] - r[0] + 1).keys()].some((k) => used.has(r[0] + k)));
  if (reserved.length) {
    const nums = reserved.filter((r) => Array.isArray(r)).map((r) => (r[0] === r[1] ? `${r[0]}` : `${r[0]} to ${r[1]}`));
    const names = reserved.filter((r) => typeof r === 'string').map((n) => `"${n}"`);
    if (nums.length) lines.push(`${inner}reserved ${nums.join(', ')};`);
    if (names.length) lines.push(`${inner}reserved ${names.join(', ')};`);
  }
  lines.push(`${ind}}`);
  return lines;
}

function emitService(s, imports, selfFile) {
  const lines = [`service ${s.name} {`];
  for (const m of [...s.methodsArray, ...(s.__extraMethods || [])]) {
    const req = typeRef({ type: m.requestType, resolvedType: m.resolvedRequestType }, imports, selfFile);
    const res = typeRef({ type: m.responseType, resolvedType: m.resolvedResponseType }, imports, selfFile);
    lines.push(`  rpc ${m.name}(${m.requestStream ? 'stream ' : ''}${req}) returns (${m.responseStream ? 'stream ' : ''}${res});`);
  }
  lines.push('}');
  return lines;
}

function emitExtension(f, imports, selfFile) {
  const target = f.extend.replace(/^\./, '');
  if (target.startsWith('google.protobuf.')) imports.add('google/protobuf/descriptor.proto');
  return [`extend .${target} {`, emitField(f, '  ', imports, selfFile), '}'];
}

let written = 0;
for (const [rel, entry] of files) {
  const imports = new Set();
  const body = [];
  for (const obj of entry.objects.values()) {
    if (obj instanceof protobuf.Type) body.push(...emitMessage(obj, '', imports, rel));
    else if (obj instanceof protobuf.Enum) body.push(...emitEnum(obj, ''));
    else if (obj instanceof protobuf.Service) body.push(...emitService(obj, imports, rel));
    else if (obj instanceof protobuf.Field) body.push(...emitExtension(obj, imports, rel));
    else continue;
    body.push('');
  }
  imports.delete(rel);
  const out = [
    '// ctrx: wire definitions for containerd\'s API. Field names and numbers are',
    '// containerd\'s; checked against the released definitions by test/conformance.',
    'syntax = "proto3";',
    '',
    `package ${entry.pkg};`,
    '',
    ...[...imports].sort().map((i) => `import "${i}";`),
    ...(imports.size ? [''] : []),
    ...body,
  ];
  const dest = path.join(OUR_PROTO_DIR, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, out.join('\n').replace(/\n+$/, '\n'));
  written++;
}
console.log(`wrote ${written} files under ${path.relative(process.cwd(), OUR_PROTO_DIR)}`);
void listProtoFiles;
