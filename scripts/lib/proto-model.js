'use strict';
// Loads .proto trees with protobufjs and reduces them to their wire contract:
// packages, services, methods (with streaming kinds), messages, fields (name,
// number, resolved type, label), oneofs, maps, enums and extensions. Used by the
// code generator and by the conformance test that compares our api/proto with
// the definitions Debian ships for containerd 1.6, 2.x and CRI.
const fs = require('fs');
const path = require('path');
const protobuf = require('protobufjs');

const PROTOBUFJS_DIR = path.dirname(require.resolve('protobufjs/package.json'));

// Imports that only carry code-generator options (gogoproto and friends). They
// change nothing on the wire, so an empty stand-in is enough to parse files
// that import them.
const OPTION_ONLY_IMPORTS = [
  /gogoproto\/gogo\.proto$/,
  /protobuf\/plugin\/fieldpath\.proto$/,
];

/**
 * Parse a set of .proto files into one protobufjs Root.
 * @param {string[]} roots folders that import paths are relative to
 * @param {string[]} files paths relative to one of the roots
 * @param {{stubOptionImports?: boolean}} [opts]
 */
function loadProtos(roots, files, opts = {}) {
  const root = new protobuf.Root();
  const stubs = new Set();
  root.resolvePath = (origin, target) => {
    if (opts.stubOptionImports && OPTION_ONLY_IMPORTS.some((re) => re.test(target))) {
      stubs.add(target);
      return target;
    }
    if (target.startsWith('google/protobuf/')) {
      const bundled = path.join(PROTOBUFJS_DIR, target);
      if (fs.existsSync(bundled)) return bundled;
      return target; // protobufjs knows the common well-known types itself
    }
    if (path.isAbsolute(target) && fs.existsSync(target)) return target;
    for (const r of roots) {
      const candidate = path.join(r, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    throw new Error(`cannot resolve import ${target} (from ${origin})`);
  };
  const sources = files.map((f) => root.resolvePath('', f));
  // protobufjs reads through util.fs at call time: serve stubbed imports as an
  // empty proto3 file, everything else from disk.
  const util = protobuf.util;
  const realFs = util.fs;
  util.fs = {
    readFileSync: (file, enc) => (stubs.has(file) ? Buffer.from('syntax = "proto3";') : realFs.readFileSync(file, enc)),
  };
  try {
    root.loadSync(sources, { keepCase: true, alternateCommentMode: false });
  } finally {
    util.fs = realFs;
  }
  root.resolveAll();
  return root;
}

function fieldLabel(field) {
  if (field.map) return 'map';
  if (field.repeated) return 'repeated';
  if (field.options && field.options.proto3_optional) return 'optional';
  if (field.rule === 'required') return 'required';
  return 'singular';
}

function resolvedTypeName(field) {
  const t = field.resolvedType;
  return t ? t.fullName.replace(/^\./, '') : field.type;
}

/**
 * Reduce a Root to a flat map of fully qualified name -> wire description.
 * Only what matters on the wire is kept.
 */
function wireModel(root) {
  const model = {};
  const visit = (ns) => {
    for (const obj of ns.nestedArray) {
      const name = obj.fullName.replace(/^\./, '');
      if (obj instanceof protobuf.Type) {
        const fields = {};
        for (const f of obj.fieldsArray) {
          const d = { id: f.id, type: resolvedTypeName(f), label: fieldLabel(f) };
          if (f.map) d.keyType = f.keyType;
          if (f.partOf && !(f.options && f.options.proto3_optional)) d.oneof = f.partOf.name;
          if (f.options && f.options.packed === false) d.packed = false;
          fields[f.name] = d;
        }
        model[name] = { kind: 'message', fields };
        if (obj.reserved && obj.reserved.length) model[name].reserved = obj.reserved.map(String);
      } else if (obj instanceof protobuf.Enum) {
        model[name] = { kind: 'enum', values: { ...obj.values } };
      } else if (obj instanceof protobuf.Service) {
        const methods = {};
        for (const m of obj.methodsArray) {
          methods[m.name] = {
            request: m.resolvedRequestType.fullName.replace(/^\./, ''),
            response: m.resolvedResponseType.fullName.replace(/^\./, ''),
            requestStream: !!m.requestStream,
            responseStream: !!m.responseStream,
          };
        }
        model[name] = { kind: 'service', methods };
      } else if (obj instanceof protobuf.Field) {
        // An extension declared at namespace level.
        model[name] = {
          kind: 'extension',
          extend: obj.extend,
          id: obj.id,
          type: resolvedTypeName(obj),
          label: fieldLabel(obj),
        };
      }
      if (obj.nestedArray && obj.nestedArray.length) visit(obj);
    }
  };
  visit(root);
  return model;
}

/** Which proto file defined each top-level object (by fully qualified name). */
function definingFiles(root) {
  const out = {};
  const visit = (ns) => {
    for (const obj of ns.nestedArray) {
      if (obj.filename) out[obj.fullName.replace(/^\./, '')] = obj.filename;
      if (obj instanceof protobuf.Namespace && !(obj instanceof protobuf.Type)) visit(obj);
    }
  };
  visit(root);
  return out;
}

/** All .proto files under a folder, relative to it. */
function listProtoFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.proto')) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

module.exports = { loadProtos, wireModel, definingFiles, listProtoFiles, protobuf };
