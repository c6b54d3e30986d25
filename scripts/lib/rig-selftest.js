'use strict';
// Self-check of the test rig: both containerd lines, the three registry setups
// and the image builder, exercised with the real ctr, then torn down and checked
// for leftovers (processes, mounts, folders). One line per step; exit 1 on any
// failure. Run as root: node scripts/lib/rig-selftest.js
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawnSync } = require('child_process');
const { startContainerd, ctrRun } = require('./daemons');
const { startRegistry } = require('./registry');
const { buildImage } = require('./test-images');

const CACHE = process.env.CTRX_CACHE || '/var/cache/ctrx';
const REPO_ROOT = path.join(__dirname, '..', '..');
// Short, because unix socket paths inside it must stay under 108 bytes.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-selftest-'));
// runc state is keyed by namespace/id across all daemons (see daemons.js): ids stay unique.
const idPrefix = `selftest-${process.pid}`;

const handles = []; // everything started, stopped in reverse order
let failed = false;
let skipRest = false;

/** Run one step, print its line; after a failure only cleanup and checks still run. */
async function step(name, fn, { always = false } = {}) {
  if (skipRest && !always) {
    console.log(`skip ${name}`);
    return undefined;
  }
  const t0 = Date.now();
  try {
    const detail = await fn();
    const note = typeof detail === 'string' && detail ? `  ${detail}` : '';
    console.log(`ok   ${name} (${Date.now() - t0} ms)${note}`);
    return detail;
  } catch (err) {
    failed = true;
    if (!always) skipRest = true;
    console.log(`FAIL ${name}: ${err.message.split('\n').join('\n     ')}`);
    return undefined;
  }
}

/** ctr must succeed; returns its stdout. */
function ctrOk(d, args, opts) {
  const r = ctrRun(d, args, opts);
  if (r.code !== 0) throw new Error(`ctr ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

function expectHello(stdout, want) {
  if (stdout.trim() !== want) throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(stdout)}`);
}

function getOverUnixSocket(socketPath, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: urlPath, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

async function daemonSteps(line, images) {
  const d = await step(`start containerd ${line}`, async () => {
    const h = await startContainerd({ line, dir: path.join(base, `cd-${line}`) });
    handles.push({ name: `containerd ${line}`, stop: () => h.stop() });
    return h;
  });
  if (!d) return undefined;
  console.log(`     version ${d.version}, CRI plugin ${d.cri}, ctr ${d.ctr}`);
  await step(`pprof on debug socket (${line})`, async () => {
    const status = await getOverUnixSocket(d.debugAddress, '/debug/pprof/');
    if (status !== 200) throw new Error(`GET /debug/pprof/ answered ${status}`);
  });
  for (const img of images) {
    const flags = img.platforms > 1 ? ['--all-platforms'] : [];
    await step(`import ${img.label} with ctr ${line}`, () => {
      ctrOk(d, ['images', 'import', ...flags, img.archive]);
      if (!ctrOk(d, ['images', 'ls', '-q']).split('\n').includes(img.ref)) throw new Error(`${img.ref} not listed`);
    });
    await step(`ctr ${line} run --rm ${img.ref} echo`, () => {
      expectHello(ctrOk(d, ['run', '--rm', img.ref, `${idPrefix}-${line}-${img.label}`, 'echo', 'hello']), 'hello');
    });
  }
  // Left running on purpose: stop() must clean it (and its shim) up.
  await step(`ctr ${line} run -d sleep (for stop() to clean)`, () => {
    ctrOk(d, ['run', '-d', images[0].ref, `${idPrefix}-${line}-sleeper`, 'sleep', '600']);
  });
  return d;
}

async function registrySteps() {
  const setups = [
    { kind: 'plain', auth: 'none', tls: false },
    { kind: 'basic', auth: 'basic', tls: false },
    { kind: 'tls', auth: 'none', tls: true },
  ];
  const regs = {};
  for (const s of setups) {
    regs[s.kind] = await step(`start registry (${s.kind})`, async () => {
      const r = await startRegistry({ dir: path.join(base, `reg-${s.kind}`), auth: s.auth, tls: s.tls });
      handles.push({ name: `registry ${s.kind}`, stop: () => r.stop() });
      return r;
    });
  }
  return regs;
}

/**
 * The flags ctr needs to reach a registry of this setup. TLS goes through the
 * registry's hosts dir: ctr 1.6 speaks plain HTTP to loopback hosts otherwise,
 * and ctr 2's transfer-service pull refuses --tlscacert without --local.
 */
function registryFlags(r) {
  const flags = r.tls ? ['--hosts-dir', r.hostsDir] : ['--plain-http'];
  if (r.user) flags.push('--user', `${r.user}:${r.password}`);
  return flags;
}

async function pushPullSteps(d16, d2, regs, ref) {
  for (const kind of ['plain', 'basic', 'tls']) {
    const r = regs[kind];
    if (!r) continue;
    const remote = `${r.host}/ctrx/busybox:test`;
    await step(`ctr 1.6 push to ${kind} registry ${remote}`, () => {
      ctrOk(d16, ['images', 'tag', '--force', ref, remote]);
      ctrOk(d16, ['images', 'push', ...registryFlags(r), remote]);
    });
  }
  for (const kind of ['plain', 'basic', 'tls']) {
    const r = regs[kind];
    if (!r || !d2) continue;
    const remote = `${r.host}/ctrx/busybox:test`;
    await step(`ctr 2 pull from ${kind} registry and run`, () => {
      ctrOk(d2, ['images', 'pull', ...registryFlags(r), remote]);
      expectHello(ctrOk(d2, ['run', '--rm', remote, `${idPrefix}-2-pulled-${kind}`, 'echo', 'hello']), 'hello');
    });
  }
}

/** Processes (not zombies) whose command line mentions our temp folder. */
function leftoverProcesses() {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat[stat.lastIndexOf(')') + 2] === 'Z') continue;
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(base)) found.push(`${name}: ${cmd.trim()}`);
    } catch { /* exited meanwhile */ }
  }
  return found;
}

function leftoverMounts() {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p) => p && (p === base || p.startsWith(`${base}/`)));
}

async function cleanup() {
  while (handles.length) {
    const h = handles.pop();
    await step(`stop ${h.name}`, async () => {
      const problems = await h.stop();
      if (problems.length) throw new Error(problems.join('; '));
    }, { always: true });
  }
}

async function main() {
  console.log(`rig self-test in ${base}`);
  await step('containerd 2.x unpacked in the cache', () => {
    const bin = path.join(CACHE, 'x', 'containerd', 'usr', 'bin', 'containerd');
    if (!fs.existsSync(bin)) {
      const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'fetch-debs.sh')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`fetch-debs.sh failed: ${r.stderr}`);
    }
    return `package ${fs.readFileSync(path.join(CACHE, 'x', 'containerd', 'VERSION'), 'utf8').trim()}`;
  });

  const imgDir = path.join(base, 'images');
  const specs = [
    { label: 'oci', format: 'oci', name: 'docker.io/ctrx/busybox:test', platforms: ['linux/amd64'] },
    { label: 'docker', format: 'docker', name: 'docker.io/ctrx/busybox:docker', platforms: ['linux/amd64'] },
    { label: 'oci-2plat', format: 'oci', name: 'docker.io/ctrx/busybox:multi', platforms: ['linux/amd64', 'linux/arm64/v8'] },
  ];
  const images = [];
  for (const s of specs) {
    const img = await step(`build ${s.label} image ${s.name}`, async () => {
      const built = await buildImage({ dir: imgDir, name: s.name, format: s.format, platforms: s.platforms });
      return { ...built, label: s.label, platforms: s.platforms.length };
    });
    if (img) images.push(img);
  }

  const d16 = await daemonSteps('1.6', images);
  const d2 = await daemonSteps('2', images);
  const regs = await registrySteps();
  if (d16) await pushPullSteps(d16, d2, regs, images[0].ref);

  await cleanup();
  await step('no containerd, shim or registry process of ours left', () => {
    const left = leftoverProcesses();
    if (left.length) throw new Error(left.join('\n'));
  }, { always: true });
  await step('no mounts left under the temp folder', () => {
    const left = leftoverMounts();
    if (left.length) throw new Error(left.join('\n'));
  }, { always: true });
  await step('no runc state of our containers left', () => {
    const runcRoot = '/run/containerd/runc';
    const left = (fs.existsSync(runcRoot) ? fs.readdirSync(runcRoot) : [])
      .flatMap((ns) => fs.readdirSync(path.join(runcRoot, ns)).map((id) => `${ns}/${id}`))
      .filter((nsId) => nsId.split('/')[1].startsWith(idPrefix));
    if (left.length) throw new Error(left.join(', '));
  }, { always: true });
  await step('temp folder removed', () => {
    fs.rmSync(imgDir, { recursive: true, force: true });
    fs.rmdirSync(base); // fails if a daemon or registry folder was left behind
  }, { always: true });
  console.log(failed ? 'rig self-test: FAILED' : 'rig self-test: all steps passed');
  return failed ? 1 : 0;
}

// An interrupted run must still stop what it started.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    skipRest = true;
    cleanup().finally(() => process.exit(130));
  });
}

main().then(
  (code) => { process.exitCode = code; },
  async (err) => {
    console.log(`FAIL self-test crashed: ${err.stack}`);
    await cleanup();
    process.exitCode = 1;
  },
);
