'use strict';
// A private registry for development and tests (DESIGN.md §4): Debian's
// docker-registry (distribution 2.8) on a loopback port, with its own config,
// storage, log and, on request, basic auth and TLS, all inside one folder.
//
// Library:  const r = await startRegistry({ dir, auth: 'basic', tls: true }); ...; await r.stop();
// CLI:      node scripts/lib/registry.js start DIR [--auth basic] [--tls]   (prints the handle as JSON)
//           node scripts/lib/registry.js stop DIR
const fs = require('fs');
const net = require('net');
const http = require('http');
const https = require('https');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const { tail, isAlive, removeDir, describe, serviceCli } = require('./procs');

const REGISTRY_BIN = '/usr/bin/docker-registry';
const USER = 'ctrx';
const PASSWORD = 'ctrx-pass';
const READY_TIMEOUT_MS = 15000;
const PORT_ATTEMPTS = 3;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error || r.stderr}`);
  return r.stdout;
}

function files(dir) {
  return {
    config: path.join(dir, 'config.yml'),
    data: path.join(dir, 'data'),
    htpasswd: path.join(dir, 'htpasswd'),
    log: path.join(dir, 'registry.log'),
    record: path.join(dir, 'registry.json'),
    caKey: path.join(dir, 'ca.key'),
    caFile: path.join(dir, 'ca.crt'),
    keyFile: path.join(dir, 'server.key'),
    certFile: path.join(dir, 'server.crt'),
    clientKeyFile: path.join(dir, 'client.key'),
    clientCertFile: path.join(dir, 'client.crt'),
    hostsDir: path.join(dir, 'hosts'),
  };
}

/** A port nobody listens on right now (the registry may still lose a race for it; we retry). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function writeHtpasswd(f) {
  // bcrypt (-B) is the only hash distribution's htpasswd backend accepts.
  fs.writeFileSync(f.htpasswd, run('htpasswd', ['-Bbn', USER, PASSWORD]));
}

/** Sign a leaf certificate with the test CA; ext is an openssl extension section body. */
function signLeaf(f, { key, cert, subject, ext }) {
  const csr = `${cert}.csr`;
  const extFile = `${cert}.ext`;
  run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', csr, '-subj', subject]);
  fs.writeFileSync(extFile, ext);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', f.caFile, '-CAkey', f.caKey, '-set_serial',
    `0x${crypto.randomBytes(8).toString('hex')}`, '-days', '825', '-sha256', '-extfile', extFile, '-out', cert]);
  fs.rmSync(csr, { force: true });
  fs.rmSync(extFile, { force: true });
}

/**
 * A throwaway CA, a server certificate for 127.0.0.1 and localhost, and a client
 * certificate (the registry does not ask for one, but tests of --tlscert need a pair).
 * EC keys: quick to make, and Go and Node both take them.
 */
function makeCertificates(f) {
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', f.caKey, '-out', f.caFile, '-days', '3650', '-sha256', '-subj', '/CN=ctrx test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  signLeaf(f, {
    key: f.keyFile,
    cert: f.certFile,
    subject: '/CN=127.0.0.1',
    ext: [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  });
  signLeaf(f, {
    key: f.clientKeyFile,
    cert: f.clientCertFile,
    subject: '/CN=ctrx-client',
    ext: 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  });
}

/** config.yml; YAML via JSON-quoted scalars, which YAML reads as the same strings. */
function renderConfig(f, { port, auth, tls }) {
  const q = JSON.stringify;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  fields:',
    '    service: ctrx-test-registry',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(f.data)}`,
    '  delete:',
    '    enabled: true',
    // Upload purging runs a timer that only adds noise to short-lived test registries.
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(`127.0.0.1:${port}`)}`,
    // A fixed secret silences the "no secret, generating a random one" warning.
    `  secret: ${q(crypto.randomBytes(16).toString('hex'))}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
  ];
  if (tls) lines.push('  tls:', `    certificate: ${q(f.certFile)}`, `    key: ${q(f.keyFile)}`);
  if (auth === 'basic') lines.push('auth:', '  htpasswd:', '    realm: ctrx-test-registry', `    path: ${q(f.htpasswd)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A hosts directory (ctr --hosts-dir) for this registry under both its names.
 * Needed for TLS: containerd 1.6's resolver talks plain HTTP to any loopback
 * host unless a hosts.toml names the https server (remotes/docker/config/hosts.go).
 */
function writeHostsDir(f, { port, tls }) {
  for (const name of ['127.0.0.1', 'localhost']) {
    const host = `${name}:${port}`;
    const hostDir = path.join(f.hostsDir, host);
    fs.mkdirSync(hostDir, { recursive: true });
    const server = `${tls ? 'https' : 'http'}://${host}`;
    const ca = tls ? [`ca = ${JSON.stringify(f.caFile)}`] : [];
    // `server` must be set, or 1.6 falls back to its loopback default (http), and
    // 1.6 rejects a file without a [host] table ("invalid `host` tree").
    const lines = [
      `server = ${JSON.stringify(server)}`,
      ...ca,
      '',
      `[host.${JSON.stringify(server)}]`,
      '  capabilities = ["pull", "resolve", "push"]',
      ...ca.map((l) => `  ${l}`),
    ];
    fs.writeFileSync(path.join(hostDir, 'hosts.toml'), `${lines.join('\n')}\n`);
  }
}

function isOurRegistry(record) {
  if (!isAlive(record.pid)) return false;
  try {
    return fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0').includes(files(record.dir).config);
  } catch {
    return false;
  }
}

/** GET /v2/ once; resolves to the status code, or 0 when nothing answers. */
function probe({ port, tls, caFile }) {
  return new Promise((resolve) => {
    const mod = tls ? https : http;
    const req = mod.get({
      host: '127.0.0.1',
      port,
      path: '/v2/',
      timeout: 2000,
      ...(tls ? { ca: fs.readFileSync(caFile) } : {}),
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function waitReady(child, opts, f) {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (!isAlive(child.pid)) return 'exited';
    const status = await probe(opts);
    if (status === 200 || (opts.auth === 'basic' && status === 401)) return 'up';
    await sleep(100);
  }
  throw new Error(`registry on 127.0.0.1:${opts.port} did not answer GET /v2/ within ${READY_TIMEOUT_MS / 1000}s; log tail:\n${tail(f.log)}`);
}

function spawnRegistry(f) {
  const logFd = fs.openSync(f.log, 'a');
  try {
    // Own process group, like the daemons: the caller's Ctrl-C is for the caller.
    return spawn(REGISTRY_BIN, ['serve', f.config], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME || '/root' },
    });
  } finally {
    fs.closeSync(logFd);
  }
}

/**
 * Start a registry serving from dir. Resolves to
 * { host, url, port, auth, tls, caFile, certFile, keyFile, clientCertFile,
 *   clientKeyFile, hostsDir, user, password, dir, pid, logFile, stop() }.
 * caFile and the cert files are null without tls; user and password null without auth.
 */
async function startRegistry({ dir, auth = 'none', tls = false } = {}) {
  if (!dir) throw new Error('startRegistry: dir is required');
  if (!['none', 'basic'].includes(auth)) throw new Error(`startRegistry: unknown auth ${auth}`);
  if (!fs.existsSync(REGISTRY_BIN)) throw new Error(`${REGISTRY_BIN} is missing (apt-get install docker-registry)`);
  dir = path.resolve(dir);
  // We remove the folder on stop: never take one that may hold someone else's things.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
    throw new Error(`startRegistry: ${dir} is not empty; give each registry a fresh folder`);
  }
  const f = files(dir);
  fs.mkdirSync(f.data, { recursive: true });
  if (auth === 'basic') writeHtpasswd(f);
  if (tls) makeCertificates(f);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    fs.writeFileSync(f.config, renderConfig(f, { port, auth, tls }));
    fs.rmSync(f.hostsDir, { recursive: true, force: true });
    writeHostsDir(f, { port, tls });
    const child = spawnRegistry(f);
    const record = {
      host: `127.0.0.1:${port}`,
      url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      port,
      auth,
      tls,
      caFile: tls ? f.caFile : null,
      certFile: tls ? f.certFile : null,
      keyFile: tls ? f.keyFile : null,
      clientCertFile: tls ? f.clientCertFile : null,
      clientKeyFile: tls ? f.clientKeyFile : null,
      hostsDir: f.hostsDir,
      user: auth === 'basic' ? USER : null,
      password: auth === 'basic' ? PASSWORD : null,
      dir,
      pid: child.pid,
      logFile: f.log,
    };
    fs.writeFileSync(f.record, `${JSON.stringify(record, null, 2)}\n`);
    const handle = makeHandle(record, child);
    let state;
    try {
      state = await waitReady(child, { port, auth, tls, caFile: f.caFile }, f);
    } catch (err) {
      await handle.stop();
      throw err;
    }
    if (state === 'up') return handle;
    // Exited: if someone took the port between our probe and its bind, try another.
    const log = tail(f.log);
    if (attempt < PORT_ATTEMPTS && /address already in use/.test(log)) continue;
    await handle.stop();
    throw new Error(`registry exited during startup; log tail:\n${log}`);
  }
}

function makeHandle(record, child) {
  let stopping = null;
  return {
    ...record,
    child,
    /** Idempotent; never rejects. Resolves to a list of cleanup problems (empty when clean). */
    stop() {
      if (!stopping) stopping = stopRegistry(record);
      return stopping;
    },
  };
}

async function waitGone(pid, ms) {
  const until = Date.now() + ms;
  while (isAlive(pid) && Date.now() < until) await sleep(50);
  return !isAlive(pid);
}

async function stopRegistry(record) {
  const problems = [];
  try {
    if (isOurRegistry(record)) {
      process.kill(record.pid, 'SIGTERM');
      if (!(await waitGone(record.pid, 5000))) {
        process.kill(record.pid, 'SIGKILL');
        if (!(await waitGone(record.pid, 5000))) problems.push(`registry pid ${record.pid} did not exit`);
      }
    }
  } catch (err) {
    problems.push(`stop registry: ${err.message}`);
  }
  removeDir(record.dir, problems);
  return problems;
}

/** Stop the registry whose registry.json is in dir (for the CLI and for crashed runs). */
async function stopRegistryIn(dir) {
  dir = path.resolve(dir);
  let record;
  try {
    record = JSON.parse(fs.readFileSync(files(dir).record, 'utf8'));
  } catch {
    // No record (a start that died early): remove the folder if nobody uses it.
    const problems = [];
    if (fs.existsSync(dir)) removeDir(dir, problems);
    return problems;
  }
  return makeHandle(record).stop();
}

module.exports = { startRegistry, stopRegistryIn, describe, USER, PASSWORD };

if (require.main === module) {
  serviceCli('registry', {
    start: ([dir, ...rest]) => {
      if (!dir) return undefined;
      const authAt = rest.indexOf('--auth');
      return startRegistry({ dir, auth: authAt >= 0 ? rest[authAt + 1] : 'none', tls: rest.includes('--tls') });
    },
    stop: stopRegistryIn,
    usage: 'registry.js start DIR [--auth none|basic] [--tls] | stop DIR',
  });
}
