'use strict';
// Private containerd daemons for development and tests (DESIGN.md §4).
//
// Each daemon lives entirely inside a folder the caller chooses: its root, state,
// sockets, config and log. Nothing of the system's /var/lib/containerd or
// /run/containerd is used, with two exceptions containerd itself hard-codes:
// runc shims put their sockets in /run/containerd/s/<hash of address> and runc
// keeps container state under /run/containerd/runc/<namespace>/<id>. The
// second means two daemons must not run a container with the same namespace and
// id at the same time; tests give each line its own container ids.
//
// Library:  const d = await startContainerd({ line: '1.6', dir }); ...; await d.stop();
// CLI:      node scripts/lib/daemons.js start 1.6|2 DIR [--cgroup2]   (prints the handle as JSON)
//           node scripts/lib/daemons.js stop DIR
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const { tail, isAlive, cmdline, processTable, processesUsing, removeDir, describe, serviceCli } = require('./procs');

const CACHE = process.env.CTRX_CACHE || '/var/cache/ctrx';
const CACHE_BIN = path.join(CACHE, 'x', 'containerd', 'usr', 'bin');
// runc finds criu through the shim's PATH, inherited from the daemon: sid's
// criu (scripts/fetch-debs.sh) comes first, as bookworm's cannot dump on this
// kernel; without the cache, bookworm's is what both lines get.
const CRIU_BIN = path.join(CACHE, 'x', 'criu-sid', 'bin');

// No /usr/local: a stray binary there must not replace the one the line is about.
const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

// Where runc shims of every daemon keep their sockets (s/) and runc its state (runc/).
const SHIM_STATE = '/run/containerd';

/** The CRI sandbox ("pause") image the 2.x daemons are configured with; never pulled, tests import it. */
const SANDBOX_IMAGE = 'docker.io/ctrx/pause:test';

const READY_TIMEOUT_MS = 20000;
const CTR_TIMEOUT_MS = 120000;
// Longest socket we create is <dir>/containerd.sock.ttrpc; sun_path holds 107 bytes.
const MAX_SOCKET_PATH = 107;

/** Binaries, PATH and config schema of one containerd line. */
function lineInfo(line) {
  if (line === '1.6') {
    return {
      containerd: '/usr/bin/containerd',
      ctr: '/usr/bin/ctr',
      PATH: `${CRIU_BIN}:${SYSTEM_PATH}`,
      configVersion: 2,
    };
  }
  if (line === '2') {
    return {
      containerd: path.join(CACHE_BIN, 'containerd'),
      ctr: path.join(CACHE_BIN, 'ctr'),
      // The daemon finds its shim through PATH (and next to itself), the shim
      // finds runc through PATH: 2.x's shim first, then bookworm's runc.
      PATH: `${CACHE_BIN}:${CRIU_BIN}:${SYSTEM_PATH}`,
      configVersion: 3,
    };
  }
  throw new Error(`unknown containerd line ${JSON.stringify(line)} (want '1.6' or '2')`);
}

/** The file names a daemon uses inside its folder. */
function layout(dir) {
  return {
    root: path.join(dir, 'root'),
    state: path.join(dir, 'state'),
    temp: path.join(dir, 'tmp'),
    opt: path.join(dir, 'opt'),
    address: path.join(dir, 'containerd.sock'),
    ttrpcAddress: path.join(dir, 'containerd.sock.ttrpc'),
    debugAddress: path.join(dir, 'debug.sock'),
    nriSocket: path.join(dir, 'nri.sock'),
    config: path.join(dir, 'config.toml'),
    log: path.join(dir, 'containerd.log'),
    record: path.join(dir, 'daemon.json'),
  };
}

// TOML basic strings accept JSON's escapes for everything a path can hold.
const q = (s) => JSON.stringify(s);

/** config.toml for a line; every path the daemon would otherwise share with the system is moved into dir. */
function renderConfig(line, files, { cri }) {
  const { configVersion } = lineInfo(line);
  const head = [
    `version = ${configVersion}`,
    `root = ${q(files.root)}`,
    `state = ${q(files.state)}`,
    `temp = ${q(files.temp)}`,
    `disabled_plugins = ${cri ? '[]' : criPluginsFor(line)}`,
    '',
    '[grpc]',
    `  address = ${q(files.address)}`,
    '',
    '[ttrpc]',
    `  address = ${q(files.ttrpcAddress)}`,
    '',
    '[debug]',
    `  address = ${q(files.debugAddress)}`,
    '  level = "debug"',
    '',
  ];
  const plugins = configVersion === 2
    ? [
      // 1.6 would otherwise install "opt" binaries into /opt/containerd.
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = ${q(files.opt)}`,
      // CRI pod network namespaces go to /var/run/netns unless told otherwise.
      '[plugins."io.containerd.grpc.v1.cri"]',
      '  netns_mounts_under_state_dir = true',
    ]
    : [
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = ${q(files.opt)}`,
      // NRI listens on /var/run/nri/nri.sock by default: two daemons would fight over it.
      '[plugins."io.containerd.nri.v1.nri"]',
      `  socket_path = ${q(files.nriSocket)}`,
      '[plugins."io.containerd.cri.v1.runtime"]',
      '  netns_mounts_under_state_dir = true',
      // Without CAP_SYS_RESOURCE runc cannot give a pause container its -998 OOM score; keep the daemon's.
      '  restrict_oom_score_adj = true',
      // No registry is reachable: the podsandbox controller's pause image is one tests build and import.
      '[plugins."io.containerd.cri.v1.images".pinned_images]',
      `  sandbox = ${q(SANDBOX_IMAGE)}`,
      '[plugins."io.containerd.image-verifier.v1.bindir"]',
      `  bin_dir = ${q(path.join(files.opt, 'image-verifier', 'bin'))}`,
    ];
  return [...head, '[plugins]', ...plugins, ''].join('\n');
}

function criPluginsFor(line) {
  return line === '1.6'
    ? '["io.containerd.grpc.v1.cri"]'
    : '["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images"]';
}

/** "1.6.20~ds1" from "containerd github.com/containerd/containerd 1.6.20~ds1 <revision>". */
function binaryVersion(containerdBin) {
  const r = spawnSync(containerdBin, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${containerdBin} --version failed: ${r.error || r.stderr}`);
  const fields = r.stdout.trim().split(/\s+/);
  if (fields.length < 3) throw new Error(`unexpected output of ${containerdBin} --version: ${r.stdout}`);
  return fields[2];
}

function ensureLineInstalled(line, info) {
  for (const bin of [info.containerd, info.ctr]) {
    if (!fs.existsSync(bin)) {
      const hint = line === '2' ? ' (run `bash scripts/fetch-debs.sh`)' : ' (apt-get install containerd runc)';
      throw new Error(`containerd ${line}: ${bin} is missing${hint}`);
    }
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch { /* already gone */ }
}

async function waitGone(pids, ms) {
  const until = Date.now() + ms;
  while (pids.some(isAlive) && Date.now() < until) await sleep(50);
  return !pids.some(isAlive);
}

/** SIGTERM, then SIGKILL if it will not go; pid reuse is ruled out by the caller. */
async function terminate(pid, termMs = 10000) {
  if (!isAlive(pid)) return true;
  signal(pid, 'SIGTERM');
  if (await waitGone([pid], termMs)) return true;
  signal(pid, 'SIGKILL');
  return waitGone([pid], 5000);
}

/** Run a daemon's own ctr against it. */
function ctrRun(d, args, { input, namespace, timeout = CTR_TIMEOUT_MS, encoding = 'utf8' } = {}) {
  const argv = ['-a', d.address, ...(namespace ? ['-n', namespace] : []), ...args];
  const r = spawnSync(d.ctr, argv, {
    input,
    encoding: encoding === 'buffer' ? undefined : encoding,
    env: { ...process.env, ...d.env },
    timeout,
    maxBuffer: 256 * 1024 * 1024,
  });
  let code = r.status;
  let stderr = r.stderr == null ? '' : r.stderr;
  if (code === null) {
    // Killed (by our timeout or otherwise): report like a shell would.
    code = 128 + (require('os').constants.signals[r.signal] || 0);
    if (r.error && typeof stderr === 'string') stderr += `\n${r.error.message}`;
  }
  return { code, stdout: r.stdout == null ? '' : r.stdout, stderr };
}

async function waitReady(d, child, files) {
  const until = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < until) {
    if (!isAlive(child.pid)) {
      throw new Error(`containerd ${d.line} exited during startup (code ${child.exitCode}); log tail:\n${tail(files.log)}`);
    }
    if (fs.existsSync(files.address)) {
      const r = ctrRun(d, ['version'], { timeout: 5000 });
      if (r.code === 0) return;
      last = r.stderr.trim();
    }
    await sleep(100);
  }
  throw new Error(`containerd ${d.line} did not answer on ${files.address} within ${READY_TIMEOUT_MS / 1000}s`
    + `${last ? ` (last ctr error: ${last})` : ''}; log tail:\n${tail(files.log)}`);
}

/** Status of the CRI plugin as `ctr plugins ls` shows it: 'ok', 'error', 'skip' or 'absent'. */
function criStatus(d) {
  const r = ctrRun(d, ['plugins', 'ls']);
  if (r.code !== 0) return 'unknown';
  const row = r.stdout.split('\n').map((l) => l.trim().split(/\s+/))
    .find((f) => f[0] === 'io.containerd.grpc.v1' && f[1] === 'cri');
  return row ? row[row.length - 1] : 'absent';
}

/**
 * Start a private containerd of the given line ('1.6' or '2') in dir.
 * Resolves to a handle { line, version, address, debugAddress, ttrpcAddress,
 * ctr, dir, pid, env, cri, configFile, logFile, stop() }.
 */
async function startContainerd({ line, dir, cri = true, cgroup2 = false } = {}) {
  if (!dir) throw new Error('startContainerd: dir is required');
  dir = path.resolve(dir);
  const info = lineInfo(line);
  ensureLineInstalled(line, info);
  const files = layout(dir);
  if (files.ttrpcAddress.length > MAX_SOCKET_PATH) {
    throw new Error(`startContainerd: ${dir} is too long for a unix socket path; use a shorter folder`);
  }
  // A folder with anything in it may belong to someone else's daemon; on a
  // failed start we remove the folder, so only ever take an empty one.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
    throw new Error(`startContainerd: ${dir} is not empty; give each daemon a fresh folder`);
  }
  const version = binaryVersion(info.containerd);
  for (const sub of [files.root, files.state, files.temp, files.opt]) fs.mkdirSync(sub, { recursive: true });
  fs.writeFileSync(files.config, renderConfig(line, files, { cri }));

  const logFd = fs.openSync(files.log, 'a');
  let child;
  try {
    // Own process group: a Ctrl-C aimed at the test runner must not take the
    // daemon down before stop() has cleaned up its tasks.
    // cgroup2: the daemon (and so its shims and runc) runs in a mount namespace
    // of its own where /sys/fs/cgroup is the unified hierarchy, so a host in
    // cgroup v1 or hybrid mode still gets containers under cgroup v2 (with the
    // controllers v1 does not hold) and v2 metrics.
    const [bin, args] = cgroup2
      ? ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t cgroup2 none /sys/fs/cgroup && exec "$0" --config "$1"', info.containerd, files.config]]
      : [info.containerd, ['--config', files.config]];
    child = spawn(bin, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { PATH: info.PATH, HOME: process.env.HOME || '/root', LANG: 'C.UTF-8' },
    });
  } finally {
    fs.closeSync(logFd);
  }
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });

  const record = {
    line,
    version,
    address: files.address,
    debugAddress: files.debugAddress,
    ttrpcAddress: files.ttrpcAddress,
    ctr: info.ctr,
    dir,
    pid: child.pid,
    env: { CONTAINERD_ADDRESS: files.address, PATH: info.PATH },
    configFile: files.config,
    logFile: files.log,
  };
  fs.writeFileSync(files.record, `${JSON.stringify(record, null, 2)}\n`);
  const handle = makeHandle(record, child);
  try {
    await waitReady(handle, child, files);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  handle.cri = criStatus(handle);
  record.cri = handle.cri;
  fs.writeFileSync(files.record, `${JSON.stringify(record, null, 2)}\n`);
  return handle;
}

function makeHandle(record, child) {
  let stopping = null;
  const handle = {
    ...record,
    child,
    /** Idempotent; never rejects. Resolves to a list of cleanup problems (empty when clean). */
    stop() {
      if (!stopping) stopping = stopDaemon(record);
      return stopping;
    },
  };
  return handle;
}

function readRecord(dir) {
  try {
    return JSON.parse(fs.readFileSync(layout(dir).record, 'utf8'));
  } catch {
    return null;
  }
}

/** The pid still belongs to the daemon we started there (guards against pid reuse). */
function isOurDaemon(record) {
  return isAlive(record.pid) && cmdline(record.pid).includes(layout(record.dir).config);
}

/** Kill and delete every task and container, so shims exit and runc state is removed. */
function removeWorkloads(record, problems) {
  const ns = ctrRun(record, ['namespaces', 'ls', '-q'], { timeout: 10000 });
  if (ns.code !== 0) {
    problems.push(`namespaces ls: ${ns.stderr.trim()}`);
    return;
  }
  for (const namespace of ns.stdout.split('\n').filter(Boolean)) {
    const tasks = ctrRun(record, ['tasks', 'ls', '-q'], { namespace, timeout: 10000 });
    for (const id of tasks.stdout.split('\n').filter(Boolean)) {
      // --force kills the task's processes with SIGKILL before deleting it.
      const r = ctrRun(record, ['tasks', 'delete', '--force', id], { namespace, timeout: 30000 });
      if (r.code !== 0) problems.push(`task ${namespace}/${id}: ${r.stderr.trim()}`);
    }
    const containers = ctrRun(record, ['containers', 'ls', '-q'], { namespace, timeout: 10000 });
    for (const id of containers.stdout.split('\n').filter(Boolean)) {
      const r = ctrRun(record, ['containers', 'delete', id], { namespace, timeout: 30000 });
      if (r.code !== 0) problems.push(`container ${namespace}/${id}: ${r.stderr.trim()}`);
    }
    removeNamespaceCgroups(namespace);
  }
}

/**
 * runc leaves a namespace's parent cgroup (/sys/fs/cgroup/<controller>/<ns>,
 * and the unified one) behind when the namespace's last container goes. The
 * empty ones whose name `match` accepts are removed, so test runs do not pile
 * them up; rmdir refuses a cgroup with children or processes, so nothing in use goes.
 */
function removeEmptyCgroups(match) {
  const root = '/sys/fs/cgroup';
  let hierarchies;
  try {
    hierarchies = fs.readdirSync(root).map((h) => path.join(root, h));
  } catch {
    return;
  }
  // With cgroup v2 mounted at the root itself, a namespace's folder is right there.
  for (const base of [root, ...hierarchies]) {
    let names;
    try {
      names = fs.readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory() && match(e.name)).map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        fs.rmdirSync(path.join(base, name));
      } catch { /* busy or not a cgroup: leave it */ }
    }
  }
}

function removeNamespaceCgroups(namespace) {
  removeEmptyCgroups((name) => name === namespace);
}

function descendants(pid, table) {
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** Shims of this daemon still running (their -address flag names our socket). */
function findShims(record) {
  const shims = [];
  for (const [pid] of processTable()) {
    const argv = cmdline(pid);
    if (!argv.length || !path.basename(argv[0]).startsWith('containerd-shim')) continue;
    // Whole arguments only: /tmp/d1 must not match a shim of /tmp/d16.
    if (argv.some((a) => a === record.address || a.startsWith(`${record.dir}/`))) shims.push(pid);
  }
  return shims;
}

/** The value following a flag in a shim's argv ("-namespace", "-id"). */
function flagValue(argv, flag) {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * What a killed shim would have removed itself: runc's state (and with it the
 * container's cgroup) and the shim's socket. Both live outside dir, at paths
 * containerd hard-codes (see the top of this file).
 */
function cleanAfterShim(record, argv, problems) {
  const namespace = flagValue(argv, '-namespace');
  const id = flagValue(argv, '-id');
  if (!namespace || !id) return;
  const r = spawnSync('runc', ['--root', path.join(SHIM_STATE, 'runc', namespace), 'delete', '--force', id], {
    encoding: 'utf8',
    env: { PATH: SYSTEM_PATH },
    timeout: 10000,
  });
  if (r.status !== 0 && !/does not exist|not exist/.test(r.stderr || '')) {
    problems.push(`runc delete ${namespace}/${id}: ${(r.stderr || String(r.error)).trim()}`);
  }
  const hash = crypto.createHash('sha256').update(path.join(record.address, namespace, id)).digest('hex');
  for (const suffix of ['', '.debug']) fs.rmSync(path.join(SHIM_STATE, 's', hash + suffix), { force: true });
}

/** Kill leftover shims and the container processes under them, then tidy up after them. */
async function killShims(record, problems) {
  const shims = findShims(record);
  if (!shims.length) return;
  const argvs = shims.map(cmdline);
  const table = processTable();
  const victims = [...shims, ...shims.flatMap((pid) => descendants(pid, table))];
  problems.push(`killed leftover shim processes ${victims.join(', ')}`);
  for (const pid of victims) signal(pid, 'SIGKILL');
  if (!(await waitGone(victims, 5000))) problems.push(`processes ${victims.filter(isAlive).join(', ')} survived SIGKILL`);
  for (const argv of argvs) cleanAfterShim(record, argv, problems);
}

/** Mount points at or under dir, deepest first. */
function mountsUnder(dir) {
  let text = '';
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  // Field 5 is the mount point, with space, tab, newline and backslash as octal escapes.
  const points = text.split('\n').filter(Boolean)
    .map((l) => l.split(' ')[4].replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

function unmountUnder(dir, problems) {
  // Lazy unmounts may uncover mounts stacked below; go round until none is left.
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (!points.length) return;
    for (const p of points) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
  }
  const left = mountsUnder(dir);
  if (left.length) problems.push(`still mounted: ${left.join(', ')}`);
}

async function stopDaemon(record) {
  const problems = [];
  const step = async (what, fn) => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${what}: ${err.message}`);
    }
  };
  const ours = isOurDaemon(record);
  if (ours) await step('remove workloads', () => removeWorkloads(record, problems));
  if (ours) {
    await step('stop daemon', async () => {
      if (!(await terminate(record.pid))) problems.push(`containerd pid ${record.pid} did not exit`);
    });
  }
  await step('kill shims', () => killShims(record, problems));
  await step('unmount', () => unmountUnder(record.dir, problems));
  await step('remove dir', () => removeDir(record.dir, problems));
  return problems;
}

/** Stop the daemon whose daemon.json is in dir (for the CLI and for crashed runs). */
async function stopContainerdIn(dir) {
  dir = path.resolve(dir);
  const record = readRecord(dir);
  if (!record) {
    if (!fs.existsSync(dir)) return [];
    // No record (a start that died early): clear mounts and the folder, unless
    // some live process still uses it.
    const problems = [];
    if (processesUsing(dir).length) {
      problems.push(`no daemon.json in ${dir}, and processes still use it: left alone`);
      return problems;
    }
    unmountUnder(dir, problems);
    try { removeDir(dir, problems); } catch (err) { problems.push(err.message); }
    return problems;
  }
  return makeHandle(record).stop();
}

module.exports = { startContainerd, ctrRun, stopContainerdIn, lineInfo, describe, removeEmptyCgroups, SANDBOX_IMAGE };

if (require.main === module) {
  serviceCli('daemons', {
    start: ([line, dir, ...rest]) => (line && dir ? startContainerd({ line, dir, cgroup2: rest.includes('--cgroup2') }) : undefined),
    stop: stopContainerdIn,
    usage: 'daemons.js start 1.6|2 DIR [--cgroup2] | stop DIR',
  });
}
