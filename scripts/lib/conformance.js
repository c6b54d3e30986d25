'use strict';
// Compares ctrx's api/proto with the released API definitions: everything each
// release defines must be in ours with the same wire contract, and everything in
// ours must come from at least one release (ours is their superset).
const { loadProtos, wireModel, listProtoFiles } = require('./proto-model');
const { upstreamSets, OUR_PROTO_DIR } = require('./upstream');

// Messages that moved between releases with an unchanged wire shape: a field of
// the old type and a field of the new one are the same on the wire.
const MOVED_TYPES = {
  'containerd.services.events.v1.Envelope': 'containerd.types.Envelope',
  'containerd.services.events.ttrpc.v1.Envelope': 'containerd.types.Envelope',
};

const underTest = (name) => !name.startsWith('google.');
const sameType = (ours, theirs) => ours === theirs || MOVED_TYPES[theirs] === ours;

function compareMessage(name, ours, theirs, diffs, where) {
  for (const [fname, f] of Object.entries(theirs.fields)) {
    const o = ours.fields[fname];
    if (!o) { diffs.push(`${where}: ${name}.${fname} (field ${f.id}) missing from ours`); continue; }
    if (o.id !== f.id) diffs.push(`${where}: ${name}.${fname} number ${o.id}, release has ${f.id}`);
    if (!sameType(o.type, f.type)) diffs.push(`${where}: ${name}.${fname} type ${o.type}, release has ${f.type}`);
    if (o.label !== f.label) diffs.push(`${where}: ${name}.${fname} label ${o.label}, release has ${f.label}`);
    if ((o.keyType || null) !== (f.keyType || null)) diffs.push(`${where}: ${name}.${fname} map key ${o.keyType}, release has ${f.keyType}`);
    if ((o.oneof || null) !== (f.oneof || null)) diffs.push(`${where}: ${name}.${fname} oneof ${o.oneof}, release has ${f.oneof}`);
    if ((o.packed === false) !== (f.packed === false)) diffs.push(`${where}: ${name}.${fname} packing differs`);
  }
}

function compareOne(name, ours, theirs, diffs, where) {
  if (!ours) { diffs.push(`${where}: ${theirs.kind} ${name} missing from ours`); return; }
  if (ours.kind !== theirs.kind) { diffs.push(`${where}: ${name} is a ${ours.kind} in ours, a ${theirs.kind} in the release`); return; }
  if (theirs.kind === 'message') compareMessage(name, ours, theirs, diffs, where);
  if (theirs.kind === 'enum') {
    for (const [k, v] of Object.entries(theirs.values)) {
      if (ours.values[k] !== v) diffs.push(`${where}: enum ${name}.${k} = ${ours.values[k]}, release has ${v}`);
    }
  }
  if (theirs.kind === 'service') {
    for (const [m, d] of Object.entries(theirs.methods)) {
      const o = ours.methods[m];
      if (!o) { diffs.push(`${where}: rpc ${name}/${m} missing from ours`); continue; }
      if (!sameType(o.request, d.request) || !sameType(o.response, d.response)) {
        diffs.push(`${where}: rpc ${name}/${m} is (${o.request}) -> (${o.response}), release has (${d.request}) -> (${d.response})`);
      }
      if (o.requestStream !== d.requestStream || o.responseStream !== d.responseStream) {
        diffs.push(`${where}: rpc ${name}/${m} streaming kind differs`);
      }
    }
  }
  if (theirs.kind === 'extension') {
    for (const k of ['extend', 'id', 'type', 'label']) {
      if (String(ours[k]).replace(/^\./, '') !== String(theirs[k]).replace(/^\./, '')) diffs.push(`${where}: extension ${name} ${k} differs`);
    }
  }
}

/** Load our definitions from a folder (api/proto by default). */
function ourModel(dir = OUR_PROTO_DIR) {
  return wireModel(loadProtos([dir], listProtoFiles(dir)));
}

/** Load each release's definitions. */
function releaseModels(cache) {
  return upstreamSets(cache).map((s) => ({
    name: `${s.name} (${s.pkg} ${s.version})`,
    model: wireModel(loadProtos([s.root, OUR_PROTO_DIR], s.files, { stubOptionImports: true })),
  }));
}

/**
 * All differences between ours and the releases; an empty list means conformant.
 * @returns {{diffs: string[], releases: string[], counted: {[k: string]: number}}}
 */
function compare({ ours = ourModel(), releases }) {
  const diffs = [];
  const counted = { messages: 0, enums: 0, services: 0, methods: 0, fields: 0 };
  for (const rel of releases) {
    for (const [name, theirs] of Object.entries(rel.model)) {
      if (!underTest(name)) continue;
      compareOne(name, ours[name], theirs, diffs, rel.name);
    }
  }
  // The other direction: nothing of ours that no release has.
  for (const [name, o] of Object.entries(ours)) {
    if (!underTest(name)) continue;
    counted[o.kind === 'message' ? 'messages' : o.kind === 'enum' ? 'enums' : o.kind === 'service' ? 'services' : 'fields'] += 1;
    const inReleases = releases.map((r) => r.model[name]).filter(Boolean);
    if (!inReleases.length) { diffs.push(`ours: ${o.kind} ${name} is in no release`); continue; }
    if (o.kind === 'message') {
      for (const f of Object.keys(o.fields)) {
        counted.fields += 1;
        if (!inReleases.some((r) => r.fields && r.fields[f])) diffs.push(`ours: field ${name}.${f} is in no release`);
      }
    }
    if (o.kind === 'service') {
      for (const m of Object.keys(o.methods)) {
        counted.methods += 1;
        if (!inReleases.some((r) => r.methods && r.methods[m])) diffs.push(`ours: rpc ${name}/${m} is in no release`);
      }
    }
    if (o.kind === 'enum') {
      for (const v of Object.keys(o.values)) {
        if (!inReleases.some((r) => r.values && v in r.values)) diffs.push(`ours: enum value ${name}.${v} is in no release`);
      }
    }
  }
  return { diffs, releases: releases.map((r) => r.name), counted };
}

module.exports = { compare, ourModel, releaseModels };
