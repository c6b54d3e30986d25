'use strict';
// Where the released API definitions live once scripts/fetch-debs.sh has
// unpacked Debian's packages, and how their paths map onto ctrx's api/proto.
const path = require('path');
const fs = require('fs');
const { listProtoFiles } = require('./proto-model');

const OUR_PROTO_DIR = path.join(__dirname, '..', '..', 'api', 'proto');
const DEFAULT_CACHE = process.env.CTRX_CACHE || '/var/cache/ctrx';

const GOCODE = 'usr/share/gocode/src';

// 1.6 kept some API files outside api/; 2.x moved them under api/ with the same
// packages. Legacy runtime v1 files are gone in 2.x and ctrx does not speak them.
const MAP_1_6 = [
  [/^github\.com\/containerd\/containerd\/runtime\/v2\/runc\/options\/oci\.proto$/, 'github.com/containerd/containerd/api/types/runc/options/oci.proto'],
  [/^github\.com\/containerd\/containerd\/pkg\/runtimeoptions\/v1\/api\.proto$/, 'github.com/containerd/containerd/api/types/runtimeoptions/v1/api.proto'],
  [/^github\.com\/containerd\/containerd\/runtime\/v2\/task\/shim\.proto$/, 'github.com/containerd/containerd/api/runtime/task/v2/shim.proto'],
  [/^github\.com\/containerd\/containerd\/(protobuf\/plugin|runtime\/linux\/runctypes|runtime\/v1\/shim)\//, null],
];

function mapper(table) {
  return (rel) => {
    for (const [re, to] of table) if (re.test(rel)) return to;
    return rel;
  };
}

/** The upstream definition sets, newest first, each with its root, files and path map. */
function upstreamSets(cache = DEFAULT_CACHE) {
  const x = path.join(cache, 'x');
  const sets = [
    { name: 'containerd-api 2.x', pkg: 'golang-github-containerd-containerd-api-dev', mapPath: (r) => r },
    { name: 'cri-api', pkg: 'golang-k8s-cri-api-dev', mapPath: (r) => r },
    { name: 'containerd 1.6', pkg: 'golang-github-containerd-containerd-dev', mapPath: mapper(MAP_1_6) },
  ];
  return sets.map((s) => {
    const root = path.join(x, s.pkg, GOCODE);
    if (!fs.existsSync(root)) throw new Error(`${root} missing: run scripts/fetch-debs.sh first`);
    const files = listProtoFiles(root).filter((f) => s.mapPath(f) !== null);
    const versionFile = path.join(x, s.pkg, 'VERSION');
    const version = fs.existsSync(versionFile) ? fs.readFileSync(versionFile, 'utf8').trim() : 'unknown';
    return { ...s, root, files, version };
  });
}

module.exports = { upstreamSets, OUR_PROTO_DIR, DEFAULT_CACHE };
