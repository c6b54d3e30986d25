#!/usr/bin/env node
'use strict';
// A short scripted walk through containerd's API with ctrx: each step says what
// it shows, prints the ctrx command, then its output. Run by scripts/demo.sh
// against a private containerd (and a private registry, for push and pull).
//   node scripts/walkthrough.js SOCKET [--line 1.6|2] [--registry HOST:PORT]
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { buildImage } = require('./lib/test-images');

const args = process.argv.slice(2);
const address = args[0];
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const line = opt('--line') || '1.6';
const registry = opt('--registry');
if (!address || address.startsWith('--')) {
  console.error('usage: walkthrough.js SOCKET [--line 1.6|2] [--registry HOST:PORT]');
  process.exit(2);
}
const BIN = path.join(__dirname, '..', 'bin', 'ctrx');
const NS = 'walkthrough';
const IMAGE = 'docker.io/ctrx/busybox:walkthrough';
const ID = `walk-${process.pid}`;

function steps(archive) {
  const remote = registry && `${registry}/ctrx/busybox:walkthrough`;
  const n = ['-n', NS];
  return [
    { say: 'Which containerd are we talking to? (Version.Version + Introspection.Server)', cmd: ['version'] },
    { say: 'The daemon describes itself (Introspection.Server).', cmd: ['info'] },
    { say: 'Everything containerd does is a plugin; the snapshotters among them (Introspection.Plugins with a filter).', cmd: ['plugins', 'ls', 'type==io.containerd.snapshotter.v1'] },
    { say: 'Namespaces keep clients apart: create one with labels (Namespaces.Create).', cmd: ['namespaces', 'create', NS, 'purpose=demo', 'owner=ctrx'] },
    { say: 'Change one label and drop another (Namespaces.Update with a field mask), then list.', cmd: ['ns', 'label', NS, 'purpose=walkthrough', 'owner='] },
    { say: 'The same list as JSON, with the API\'s own field names.', cmd: ['ns', 'ls', '--format', 'json'] },
    { say: 'Import an image archive (OCI layout): blobs go into the content store under a lease, then the layers are unpacked into snapshots.', cmd: [...n, 'images', 'import', archive] },
    { say: 'The image is a name pointing at a manifest (Images.List).', cmd: [...n, 'images', 'ls'] },
    { say: 'Its blobs in the content store, with the garbage-collection labels that tie them together (Content.List).', cmd: [...n, 'content', 'ls'] },
    { say: 'Its layers, unpacked as a chain of committed snapshots (Snapshots.List).', cmd: [...n, 'snapshots', 'ls'] },
    ...(remote
      ? [
          { say: 'Push it to a registry: the client speaks the registry API, reading blobs with Content.Read.', cmd: [...n, 'images', 'push', '--plain-http', '--local', remote, IMAGE] },
          { say: 'Pull it back under another name: blobs stream into Content.Write, then unpack.', cmd: [...n, 'images', 'pull', '--plain-http', '--local', remote] },
          { say: 'Both names point at the same manifest digest.', cmd: [...n, 'images', 'ls', '-q'] },
        ]
      : []),
    { say: 'A container is metadata: a spec, a snapshot, a runtime. Creating one starts no process (Snapshots.Prepare, Containers.Create).', cmd: [...n, 'containers', 'create', IMAGE, ID, 'sleep', '300'] },
    { say: 'So there is a container...', cmd: [...n, 'containers', 'ls'] },
    { say: '...but no task: nothing runs yet (Tasks.List).', cmd: [...n, 'tasks', 'ls'] },
    { say: 'Start the task: the shim creates the process from the container (Tasks.Create, Tasks.Wait, Tasks.Start).', cmd: [...n, 'tasks', 'start', '-d', ID] },
    { say: 'Now there is a running task with a host PID.', cmd: [...n, 'tasks', 'ls'] },
    { say: 'Run a second process inside the same container (Tasks.Exec, Tasks.Start with an exec ID).', cmd: [...n, 'tasks', 'exec', '--exec-id', 'hello', ID, 'echo', 'hello from inside'] },
    { say: 'The task\'s processes (Tasks.ListPids).', cmd: [...n, 'tasks', 'ps', ID] },
    { say: 'Signal the task (Tasks.Kill). PID 1 in a container ignores SIGTERM without a handler, so send SIGKILL.', cmd: [...n, 'tasks', 'kill', '-s', 'SIGKILL', ID], pauseMs: 500 },
    { say: 'The process has exited; the task remains, stopped, with its exit status.', cmd: [...n, 'tasks', 'ls'] },
    { say: 'Delete the task (Tasks.Delete): the exit status is reported.', cmd: [...n, 'tasks', 'delete', ID] },
    { say: 'The container outlives its task; delete it too (and its snapshot).', cmd: [...n, 'containers', 'delete', ID] },
    { say: 'run does all of that in one go; --trace shows every call it makes, in order.', cmd: ['--trace', ...n, 'run', '--rm', IMAGE, `${ID}-r`, 'echo', 'hello'] },
    { say: 'Errors name the object and the cause: the namespace exists already.', cmd: ['ns', 'create', NS], mayFail: true },
    { say: 'Clean up: images, then the namespace (it must be empty).', cmd: [...n, 'images', 'rm', '--sync', ...(remote ? [remote] : []), IMAGE] },
    { say: '', cmd: ['ns', 'rm', NS], mayFail: true },
  ];
}

function quote(a) {
  return /[\s'"|<>&;()$*?]/.test(a) ? `'${a}'` : a;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-walk-'));
  let failed = 0;
  try {
    const image = await buildImage({ dir: tmp, name: IMAGE, format: 'oci' });
    const list = steps(image.archive);
    for (const [i, s] of list.entries()) {
      if (s.say) process.stdout.write(`\n# ${i + 1}. ${s.say}\n`);
      process.stdout.write(`$ ctrx ${s.cmd.map(quote).join(' ')}\n`);
      const r = spawnSync(process.execPath, [BIN, '-a', address, ...s.cmd], { encoding: 'utf8' });
      process.stdout.write(r.stdout);
      if (r.stderr) process.stdout.write(r.stderr);
      if (r.status !== 0) {
        process.stdout.write(`(exit ${r.status})\n`);
        if (!s.mayFail) failed++;
      }
      if (s.pauseMs) await new Promise((res) => setTimeout(res, s.pauseMs));
    }
    process.stdout.write(`\nwalkthrough (containerd ${line}): ${list.length} steps, ${failed} unexpected failures\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(`walkthrough: ${err.message}`);
  process.exitCode = 1;
});
