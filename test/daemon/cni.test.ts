/**
 * run --cni with Debian's real CNI plugins (bridge + host-local + loopback)
 * on both daemons, compared with the real ctr. ctr only reads
 * /etc/cni/net.d and /opt/cni/bin, so the test puts its conflist there and
 * links /opt/cni/bin to /usr/lib/cni, but only where nothing is yet, and takes
 * away exactly what it made. Addresses are read inside the containers
 * (busybox ip, /proc/net) and in host-local's allocation files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, Daemon, LINES } from '../helpers/rig';
import { fifoDirsFor, namespaceForBlock, snapshotKeys } from './containers-fixtures';

jest.setTimeout(180_000);

const PLUGINS = '/usr/lib/cni';
const CONF_DIR = '/etc/cni/net.d';
const CONF_FILE = path.join(CONF_DIR, '10-ctrx-test.conflist');
const OPT_CNI = '/opt/cni';
const OPT_BIN = path.join(OPT_CNI, 'bin');
const NET = 'ctrxtest';
const BRIDGE = 'ctrxbr0';
const ALLOC_ROOT = '/var/lib/cni/networks';
const FIFO_ROOT = '/run/containerd/fifo';
const SUBNET = /\b(10\.99\.0\.\d+)\/24\b/;
const ADDRESS = /^10\.99\.0\.\d+$/;

/** bridge + host-local + loopback on `bridge`, addresses from 10.99.<n>.0/24, nothing routed or masqueraded on the host. */
function conflist(name: string, n: number, extra: Record<string, unknown>[] = []): string {
  const ipam = { type: 'host-local', ranges: [[{ subnet: `10.99.${n}.0/24` }]] };
  return JSON.stringify({ cniVersion: '1.0.0', name, plugins: [{ type: 'bridge', bridge: BRIDGE, isGateway: false, ipMasq: false, ipam }, { type: 'loopback' }, ...extra] }, null, 2);
}

/** host-local's allocations of a network: address -> the container ID it was given to. */
function allocations(net: string): Record<string, string> {
  const dir = path.join(ALLOC_ROOT, net);
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir)) if (/^\d+\.\d+\.\d+\.\d+$/.test(f)) out[f] = fs.readFileSync(path.join(dir, f), 'utf8').split(/\s+/)[0];
  return out;
}
const addressOf = (net: string, cid: string) => Object.entries(allocations(net)).find(([, c]) => c === cid)?.[0];

const linkExists = (name: string) => spawnSync('ip', ['link', 'show', name], { stdio: 'ignore' }).status === 0;

// What the test made on the host, to take away again (and only that).
const made: { confDir?: boolean; confFile?: boolean; optCni?: boolean; optBin?: boolean; bridge?: boolean; allocDirs: string[] } = { allocDirs: [] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-cni-'));

beforeAll(() => {
  for (const p of ['bridge', 'host-local', 'loopback']) {
    if (!fs.existsSync(path.join(PLUGINS, p))) throw new Error(`${PLUGINS}/${p} is missing: install Debian's containernetworking-plugins (scripts/setup.sh)`);
  }
  if (fs.existsSync(CONF_DIR)) {
    const others = fs.readdirSync(CONF_DIR).filter((f) => /\.(conf|conflist|json)$/.test(f));
    if (others.length) throw new Error(`${CONF_DIR} already holds ${others.join(', ')}: ctr would use the first of those, so the test will not run here (it does not touch them)`);
  } else {
    fs.mkdirSync(CONF_DIR, { recursive: true });
    made.confDir = true;
  }
  if (fs.existsSync(OPT_BIN) || fs.lstatSync(OPT_BIN, { throwIfNoEntry: false })) {
    const missing = ['bridge', 'host-local', 'loopback'].filter((p) => !fs.existsSync(path.join(OPT_BIN, p)));
    if (missing.length) throw new Error(`${OPT_BIN} exists without ${missing.join(', ')}: the test will not change it; link or install the plugins there`);
  } else {
    if (!fs.existsSync(OPT_CNI)) {
      fs.mkdirSync(OPT_CNI);
      made.optCni = true;
    }
    fs.symlinkSync(PLUGINS, OPT_BIN);
    made.optBin = true;
  }
  made.bridge = !linkExists(BRIDGE);
  for (const net of [NET, `${NET}-env`, `${NET}-bad`]) if (!fs.existsSync(path.join(ALLOC_ROOT, net))) made.allocDirs.push(net);
  fs.writeFileSync(CONF_FILE, conflist(NET, 0));
  made.confFile = true;
});

afterAll(() => {
  if (made.confFile) fs.rmSync(CONF_FILE, { force: true });
  if (made.confDir) fs.rmdirSync(CONF_DIR);
  if (made.optBin) fs.unlinkSync(OPT_BIN);
  if (made.optCni) fs.rmdirSync(OPT_CNI);
  if (made.bridge && linkExists(BRIDGE)) spawnSync('ip', ['link', 'del', BRIDGE]);
  for (const net of made.allocDirs) fs.rmSync(path.join(ALLOC_ROOT, net), { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  namespaceForBlock(line, 'cni', (f) => ({ d, ns, image } = f));
  afterAll(() => {
    // libcni's cached results of this namespace's attachments that were never removed (1.6 -d runs keep theirs, as with ctr).
    const results = path.join(path.dirname(ALLOC_ROOT), 'results');
    for (const f of fs.existsSync(results) ? fs.readdirSync(results) : []) {
      if ([NET, `${NET}-env`, `${NET}-bad`].some((net) => f.startsWith(`${net}-${ns}-`))) fs.rmSync(path.join(results, f));
    }
  });

  const cid = (id: string) => `${ns}-${id}`;
  const leftovers = (id: string) => ({
    tasks: ctr(d, ['t', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter((x) => x === id),
    containers: ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter((x) => x === id),
    snapshots: snapshotKeys(d, ns).filter((k) => k === id),
    fifos: fifoDirsFor(FIFO_ROOT, id),
  });
  const nothingLeft = { tasks: [], containers: [], snapshots: [], fifos: [] };
  const SHOW = ['sh', '-c', 'cat /proc/net/dev /proc/net/fib_trie; busybox ip -o -4 addr show eth0'];
  const extensions = (out: string) => JSON.parse(out).Extensions;
  const remove = (id: string) => {
    ctr(d, ['t', 'rm', '-f', id], { namespace: ns });
    ctr(d, ['c', 'rm', id], { namespace: ns });
  };

  it('run --rm --cni (attached): eth0 gets an address of the subnet, released when the run ends', () => {
    const r = ctrxOn(d, ['run', '--rm', '--cni', image, 'a1', ...SHOW], { namespace: ns });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^\s*eth0:/m);
    const ip = SUBNET.exec(r.stdout.split('\n').find((l) => l.includes('eth0') && l.includes('inet')) ?? '')?.[1];
    expect(ip).toBeDefined();
    // fib_trie lists the container's own address as a local host route.
    expect(r.stdout).toContain(`|-- ${ip}\n`);
    expect(addressOf(NET, cid('a1'))).toBeUndefined();
    expect(fs.existsSync(path.join(ALLOC_ROOT, NET, ip!))).toBe(false);
    expect(leftovers('a1')).toEqual(nothingLeft);
    // ctr's attached run does the same.
    const theirs = ctr(d, ['run', '--rm', '--cni', image, 'a1c', ...SHOW], { namespace: ns });
    expect(theirs.code).toBe(0);
    expect(theirs.stdout).toMatch(SUBNET);
    expect(addressOf(NET, cid('a1c'))).toBeUndefined();
  });

  it('run -d --cni: the address is allocated to <ns>-<id>, ctr exec sees it, ctr and ctrx containers get distinct ones', () => {
    expect(ctrxOn(d, ['run', '-d', '--cni', image, 'd1', 'sleep', '1000'], { namespace: ns })).toMatchObject({ code: 0, stderr: '' });
    const mine = addressOf(NET, cid('d1'));
    expect(mine).toMatch(ADDRESS);
    const inside = ctr(d, ['t', 'exec', '--exec-id', 'e1', 'd1', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], { namespace: ns });
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain(`inet ${mine}/24`);
    expect(ctr(d, ['run', '-d', '--cni', image, 'd2', 'sleep', '1000'], { namespace: ns }).code).toBe(0);
    const theirs = addressOf(NET, cid('d2'));
    expect(theirs).toMatch(ADDRESS);
    expect(theirs).not.toBe(mine);
    const theirsInside = ctrxOn(d, ['t', 'exec', '--exec-id', 'e2', 'd2', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], { namespace: ns });
    expect(theirsInside.stdout).toContain(`inet ${theirs}/24`);

    // The container extension: as ctr of the line stores it (2.x: present, 1.6: none).
    const extMine = extensions(ctrxOn(d, ['c', 'info', 'd1'], { namespace: ns }).stdout);
    const extTheirs = extensions(ctr(d, ['c', 'info', 'd2'], { namespace: ns }).stdout);
    expect(extMine).toEqual(extTheirs);
    expect(extensions(ctr(d, ['c', 'info', 'd1'], { namespace: ns }).stdout)).toEqual(extTheirs);
    if (line === '2') {
      expect(Buffer.from(extMine['ctr.cni-containerd.metadata'].value, 'base64').toString()).toBe('{"EnableCni":true}');
    } else {
      expect(extMine).toBeNull();
    }

    // tasks kill: 2.x removes the network of a container carrying the extension, whoever made it.
    expect(ctr(d, ['t', 'kill', '-s', 'KILL', 'd1'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['t', 'kill', '-s', 'KILL', 'd2'], { namespace: ns })).toMatchObject({ code: 0, stderr: '' });
    if (line === '2') {
      expect(addressOf(NET, cid('d1'))).toBeUndefined();
      expect(addressOf(NET, cid('d2'))).toBeUndefined();
    } else {
      // 1.6 keeps no mark, so neither ctr nor ctrx knows to remove the network.
      expect(addressOf(NET, cid('d1'))).toBe(mine);
      expect(addressOf(NET, cid('d2'))).toBe(theirs);
    }
    remove('d1');
    remove('d2');
  });

  it('a broken network config gives one line naming the plugin and leaves nothing behind, allocations included', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    const env = { NETCONFPATH: dir, CNI_PATH: PLUGINS };
    // A plugin that does not exist, after bridge + host-local + loopback have run.
    fs.writeFileSync(path.join(dir, 'a.conflist'), conflist(`${NET}-bad`, 1, [{ type: 'ctrx-no-such-plugin' }]));
    for (const flags of [['--rm'], ['-d'], []]) {
      const r = ctrxOn(d, ['run', ...flags, '--cni', image, 'b1', 'true'], { namespace: ns, env });
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toBe(`ctrx: CNI network "${NET}-bad": plugin type="ctrx-no-such-plugin" failed (add): failed to find plugin "ctrx-no-such-plugin" in path [${PLUGINS}]\n`);
      expect(leftovers('b1')).toEqual(nothingLeft);
      expect(allocations(`${NET}-bad`)).toEqual({});
    }
    // A plugin's own error (its JSON {code, msg}) is passed on.
    fs.writeFileSync(path.join(dir, 'a.conflist'), conflist(`${NET}-bad`, 1).replace('10.99.1.0/24', '10.99.1.0/33'));
    const r = ctrxOn(d, ['run', '--rm', '--cni', image, 'b2', 'true'], { namespace: ns, env });
    expect(r).toMatchObject({ code: 1, stderr: `ctrx: CNI network "${NET}-bad": plugin type="bridge" failed (add): invalid CIDR address: 10.99.1.0/33\n` });
    expect(leftovers('b2')).toEqual(nothingLeft);
    // No config at all.
    const none = ctrxOn(d, ['run', '--rm', '--cni', image, 'b3', 'true'], { namespace: ns, env: { NETCONFPATH: path.join(dir, 'none') } });
    expect(none).toMatchObject({ code: 1, stderr: `ctrx: no CNI network config found in ${path.join(dir, 'none')}: cni plugin not initialized\n` });
    expect(leftovers('b3')).toEqual(nothingLeft);
  });

  it('NETCONFPATH and CNI_PATH choose the config and plugins (an extension over ctr)', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'env-'));
    fs.writeFileSync(path.join(dir, '50-env.conflist'), conflist(`${NET}-env`, 2));
    const r = ctrxOn(d, ['run', '--rm', '--cni', image, 'v1', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], { namespace: ns, env: { NETCONFPATH: dir, CNI_PATH: `/nonexistent:${PLUGINS}` } });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/inet 10\.99\.2\.\d+\/24/);
    expect(allocations(`${NET}-env`)).toEqual({});
  });
});
