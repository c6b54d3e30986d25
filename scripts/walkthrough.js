#!/usr/bin/env node
'use strict';
// A short scripted walk through containerd's API with ctrx: each step says what
// it shows, prints the ctrx command, then its output. Run by scripts/demo.sh
// against a private containerd; takes the daemon's address as its argument.
//   node scripts/walkthrough.js /tmp/ctrx-demo/containerd.sock [--line 1.6|2]
const path = require('path');
const { spawnSync } = require('child_process');

const address = process.argv[2];
const line = process.argv.includes('--line') ? process.argv[process.argv.indexOf('--line') + 1] : '1.6';
if (!address) {
  console.error('usage: walkthrough.js SOCKET [--line 1.6|2]');
  process.exit(2);
}
const BIN = path.join(__dirname, '..', 'bin', 'ctrx');
const NS = 'walkthrough';

// The steps. Later work adds images, containers and tasks here.
const steps = [
  { say: 'Which containerd are we talking to? (Version.Version + Introspection.Server)', cmd: ['version'] },
  { say: 'The daemon describes itself (Introspection.Server).', cmd: ['info'] },
  { say: 'Everything containerd does is a plugin; the snapshotters among them (Introspection.Plugins with a filter).', cmd: ['plugins', 'ls', 'type==io.containerd.snapshotter.v1'] },
  { say: 'Namespaces keep clients apart: create one with labels (Namespaces.Create).', cmd: ['namespaces', 'create', NS, 'purpose=demo', 'owner=ctrx'] },
  { say: 'List them (Namespaces.List).', cmd: ['ns', 'ls'] },
  { say: 'Change one label and drop another (Namespaces.Update with a field mask).', cmd: ['ns', 'label', NS, 'purpose=walkthrough', 'owner='] },
  { say: 'The same list as JSON, with the API\'s own field names.', cmd: ['ns', 'ls', '--format', 'json'] },
  { say: 'A 2.x-only call against this daemon: on 1.6 ctrx says plainly that it needs a newer containerd.', cmd: ['plugins', 'inspect-runtime'], mayFail: line === '1.6' },
  { say: 'Errors name the object and the cause: the namespace exists already.', cmd: ['ns', 'create', NS], mayFail: true },
  { say: 'Remove the namespace again (Namespaces.Delete).', cmd: ['ns', 'rm', NS] },
];

let failed = 0;
for (const [i, s] of steps.entries()) {
  process.stdout.write(`\n# ${i + 1}. ${s.say}\n$ ctrx ${s.cmd.map((a) => (/[\s'"|<>&;()$*?]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [BIN, '-a', address, ...s.cmd], { encoding: 'utf8' });
  process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(r.stderr);
  if (r.status !== 0) {
    process.stdout.write(`(exit ${r.status})\n`);
    if (!s.mayFail) failed++;
  }
}
process.stdout.write(`\nwalkthrough: ${steps.length} steps, ${failed} unexpected failures\n`);
process.exitCode = failed ? 1 : 0;
