/**
 * The CNI module against plugins that follow the protocol: small node
 * scripts that record their CNI_* environment and stdin, print a result that
 * extends prevResult, or fail with a CNI error when their config says so.
 * Config loading is checked against files in a temporary directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cniSettings, loadDefaultNetwork, parseSingle, type CniSettings, type NetworkList } from '../../internal/cni/config';
import { addNetwork, delNetwork } from '../../internal/cni/network';
import { findPlugin } from '../../internal/cni/exec';
import { pluginError, versionAtLeast } from '../../internal/cni/result';
import { cacheFile } from '../../internal/cni/cache';
import { CNI_EXTENSION, cniExtensions, hasCniEnabled } from '../../internal/cni/container';
import { flavourFor } from '../../internal/oci/spec';

// Records {name, env, conf} per call; ADD appends conf.addr to prevResult's ips; fails as told by conf.fail.
const PLUGIN = `#!${process.execPath}
const fs = require('fs');
const conf = JSON.parse(fs.readFileSync(0, 'utf8'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CNI_')));
fs.appendFileSync(process.env.CTRX_CNI_TEST_LOG, JSON.stringify({ name: require('path').basename(process.argv[1]), env, conf }) + '\\n');
const cmd = process.env.CNI_COMMAND;
if (conf.fail === cmd) {
  process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, code: 11, msg: 'it broke', details: 'on purpose\\nreally' }));
  process.exit(1);
}
if (conf.failPlain === cmd) { process.stderr.write('no json here'); process.exit(2); }
if (conf.gone === cmd) { process.stdout.write(JSON.stringify({ code: 7, msg: 'link ctrxveth not found' })); process.exit(1); }
if (cmd === 'ADD') {
  const prev = conf.prevResult || { cniVersion: conf.cniVersion, ips: [] };
  prev.ips = [...prev.ips, { address: conf.addr }];
  process.stdout.write(JSON.stringify(prev));
}
`;

interface Call {
  name: string;
  env: Record<string, string>;
  conf: Record<string, unknown> & { prevResult?: { ips: { address: string }[] } };
}

describe('CNI', () => {
  let dir: string;
  let bin: string;
  let log: string;
  let s: CniSettings;
  const calls = (): Call[] =>
    fs.existsSync(log)
      ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-cni-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const name of ['p1', 'p2']) fs.writeFileSync(path.join(bin, name), PLUGIN, { mode: 0o755 });
    log = path.join(dir, 'calls.log');
    process.env.CTRX_CNI_TEST_LOG = log;
    s = { confDir: path.join(dir, 'net.d'), pluginDirs: [path.join(dir, 'empty'), bin], ifName: 'eth0', cacheDir: path.join(dir, 'cache') };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => fs.rmSync(log, { force: true }));

  const list = (plugins: Record<string, unknown>[], cniVersion = '1.0.0'): NetworkList => {
    const raw = Buffer.from(JSON.stringify({ cniVersion, name: 'unitnet', plugins }));
    return { file: 'x.conflist', name: 'unitnet', cniVersion, plugins: plugins as NetworkList['plugins'], bytes: raw };
  };
  const at = { containerId: 'ns-c1', netns: '/proc/1/ns/net' };
  const key = { cacheDir: '', network: 'unitnet', containerId: 'ns-c1', ifName: 'eth0' };

  it('ADD runs every plugin in order with the CNI variables and prevResult, then caches the result', async () => {
    const net = list([{ type: 'p1', addr: '10.1.0.2/24' }, { type: 'p2', addr: '10.1.0.3/24', prevResult: 'dropped' }]);
    const result = await addNetwork(net, at, s);
    expect(result.ips).toEqual([{ address: '10.1.0.2/24' }, { address: '10.1.0.3/24' }]);
    const c = calls();
    expect(c.map((x) => x.name)).toEqual(['p1', 'p2']);
    for (const x of c) {
      expect(x.env).toMatchObject({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'ns-c1', CNI_NETNS: '/proc/1/ns/net', CNI_IFNAME: 'eth0', CNI_ARGS: '', CNI_PATH: s.pluginDirs.join(':') });
      expect(x.conf).toMatchObject({ name: 'unitnet', cniVersion: '1.0.0' });
    }
    expect(c[0].conf.prevResult).toBeUndefined();
    expect(c[1].conf.prevResult!.ips).toEqual([{ address: '10.1.0.2/24' }]);
    const cached = JSON.parse(fs.readFileSync(cacheFile({ ...key, cacheDir: s.cacheDir }), 'utf8'));
    expect(cached).toEqual({ kind: 'cniCacheV1', containerId: 'ns-c1', config: net.bytes.toString('base64'), ifName: 'eth0', networkName: 'unitnet', netns: '/proc/1/ns/net', result });
    expect(fs.statSync(cacheFile({ ...key, cacheDir: s.cacheDir })).mode & 0o777).toBe(0o600);
  });

  it('DEL runs the plugins in reverse with the cached result, then forgets it', async () => {
    const net = list([{ type: 'p1', addr: '10.1.0.2/24' }, { type: 'p2', addr: '10.1.0.3/24' }]);
    await addNetwork(net, at, s);
    fs.rmSync(log);
    await delNetwork(net, { containerId: 'ns-c1', netns: '' }, s);
    const c = calls();
    expect(c.map((x) => [x.name, x.env.CNI_COMMAND, x.env.CNI_NETNS])).toEqual([
      ['p2', 'DEL', ''],
      ['p1', 'DEL', ''],
    ]);
    expect(c[0].conf.prevResult!.ips).toHaveLength(2);
    expect(fs.existsSync(cacheFile({ ...key, cacheDir: s.cacheDir }))).toBe(false);
    // Before CNI 0.4.0 DEL gets no prevResult.
    fs.rmSync(log);
    await addNetwork(list([{ type: 'p1', addr: '10.1.0.2/24' }], '0.3.1'), at, s);
    await delNetwork(list([{ type: 'p1', addr: '10.1.0.2/24' }], '0.3.1'), at, s);
    expect(calls()[1].conf.prevResult).toBeUndefined();
  });

  it('a failing ADD names the plugin and its message on one line and DELs what ran, in reverse', async () => {
    const net = list([{ type: 'p1', addr: '10.1.0.2/24' }, { type: 'p2', addr: '10.1.0.3/24', fail: 'ADD' }]);
    await expect(addNetwork(net, { ...at, containerId: 'ns-c2' }, s)).rejects.toThrow(
      /^CNI network "unitnet": plugin type="p2" failed \(add\): it broke; on purpose really$/,
    );
    expect(calls().map((x) => `${x.name} ${x.env.CNI_COMMAND}`)).toEqual(['p1 ADD', 'p2 ADD', 'p2 DEL', 'p1 DEL']);
    expect(fs.existsSync(cacheFile({ ...key, containerId: 'ns-c2', cacheDir: s.cacheDir }))).toBe(false);
  });

  it('a plugin that is not there is named with the directories searched; only what ran is undone', async () => {
    const net = list([{ type: 'p1', addr: '10.1.0.2/24' }, { type: 'nope' }]);
    await expect(addNetwork(net, at, s)).rejects.toThrow(`CNI network "unitnet": plugin type="nope" failed (add): failed to find plugin "nope" in path [${s.pluginDirs.join(' ')}]`);
    expect(calls().map((x) => `${x.name} ${x.env.CNI_COMMAND}`)).toEqual(['p1 ADD', 'p1 DEL']);
    expect(() => findPlugin('../bin/p1', s.pluginDirs)).toThrow('invalid plugin name: ../bin/p1');
  });

  it('DEL asks every plugin, ignores "not found", and throws the first real failure keeping the cache', async () => {
    await delNetwork(list([{ type: 'p1', gone: 'DEL' }]), at, s);
    const net = list([{ type: 'p1', addr: '10.1.0.2/24' }, { type: 'p2', addr: '10.1.0.3/24', failPlain: 'DEL' }]);
    await addNetwork(net, { ...at, containerId: 'ns-c3' }, s);
    fs.rmSync(log);
    await expect(delNetwork(net, { containerId: 'ns-c3', netns: '' }, s)).rejects.toThrow('CNI network "unitnet": plugin type="p2" failed (delete): netplugin failed: "no json here"');
    expect(calls().map((x) => x.name)).toEqual(['p2', 'p1']);
    expect(fs.existsSync(cacheFile({ ...key, containerId: 'ns-c3', cacheDir: s.cacheDir }))).toBe(true);
  });

  it('reads plugin errors as libcni does', () => {
    const e = pluginError(Buffer.from('{"code":7,"msg":"m","details":"d"}'), Buffer.alloc(0), 'exit status 1');
    expect([e.code, e.message]).toEqual([7, 'm; d']);
    expect(pluginError(Buffer.alloc(0), Buffer.alloc(0), 'exit status 3').message).toBe('netplugin failed with no error message: exit status 3');
    expect(pluginError(Buffer.from('oops'), Buffer.alloc(0), 'exit status 1').message).toMatch(/^netplugin failed but error parsing its diagnostic message "oops": /);
    expect(versionAtLeast('1.0.0', '0.4.0')).toBe(true);
    expect(versionAtLeast('0.3.1', '0.4.0')).toBe(false);
    expect(versionAtLeast('', '0.4.0')).toBe(false);
  });

  describe('config', () => {
    let confDir: string;
    beforeEach(() => {
      confDir = fs.mkdtempSync(path.join(dir, 'net-'));
    });
    const write = (name: string, body: unknown) => fs.writeFileSync(path.join(confDir, name), typeof body === 'string' ? body : JSON.stringify(body));

    it('takes the first .conf/.conflist/.json file in lexical order', () => {
      write('20-b.conflist', { cniVersion: '1.0.0', name: 'b', plugins: [{ type: 'bridge' }] });
      write('10-a.txt', 'not a config');
      fs.mkdirSync(path.join(confDir, '05-dir.conf'));
      write('30-c.json', { cniVersion: '0.4.0', name: 'c', type: 'ptp' });
      const net = loadDefaultNetwork(confDir);
      expect([net.name, net.cniVersion, net.plugins, net.file]).toEqual(['b', '1.0.0', [{ type: 'bridge' }], path.join(confDir, '20-b.conflist')]);
      write('15-a.conf', { cniVersion: '0.4.0', name: 'a', type: 'ptp', ipam: { type: 'host-local' } });
      const single = loadDefaultNetwork(confDir);
      expect(single.plugins).toEqual([{ cniVersion: '0.4.0', name: 'a', type: 'ptp', ipam: { type: 'host-local' } }]);
      expect(JSON.parse(single.bytes.toString())).toEqual({ cniVersion: '0.4.0', name: 'a', plugins: single.plugins });
    });

    it('says what is wrong, as ctr does', () => {
      const missing = path.join(dir, 'no-such-dir');
      expect(() => loadDefaultNetwork(missing)).toThrow(`no CNI network config found in ${missing}: cni plugin not initialized`);
      expect(() => loadDefaultNetwork(confDir)).toThrow(`no CNI network config found in ${confDir}: cni plugin not initialized`);
      const f = path.join(confDir, 'a.conflist');
      const bad: [unknown, string][] = [
        [{ cniVersion: '1.0.0', name: 'x', plugins: [] }, 'error parsing configuration list: no plugins in list'],
        [{ cniVersion: '1.0.0', name: 'x' }, 'no plugin configs found'],
        [{ cniVersion: '1.0.0', plugins: [{ type: 'x' }] }, 'error parsing configuration list: no name'],
        [{ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'x' }, {}] }, "failed to parse plugin config 1: error parsing configuration: missing 'type'"],
      ];
      for (const [body, why] of bad) {
        write('a.conflist', body);
        expect(() => loadDefaultNetwork(confDir)).toThrow(`failed to load CNI config list file ${f}: ${why}: invalid cni config`);
      }
      write('a.conflist', '{"name":');
      expect(() => loadDefaultNetwork(confDir)).toThrow(/^failed to load CNI config list file .*: error parsing configuration list: .*: invalid cni config$/);
      write('a.conflist', { cniVersion: '1.0.0', name: '../x', plugins: [{ type: 'x' }] });
      expect(() => loadDefaultNetwork(confDir)).toThrow('invalid characters found in network name "../x"');
      expect(() => parseSingle(Buffer.from('{"name":"x"}'))).toThrow("error parsing configuration: missing 'type'");
    });

    it('honours NETCONFPATH and CNI_PATH like cnitool, else ctr paths', () => {
      expect(cniSettings({})).toEqual({ confDir: '/etc/cni/net.d', pluginDirs: ['/opt/cni/bin', '/usr/lib/cni'], ifName: 'eth0', cacheDir: '/var/lib/cni' });
      expect(cniSettings({ NETCONFPATH: '/n', CNI_PATH: '/a::/b' })).toMatchObject({ confDir: '/n', pluginDirs: ['/a', '/b'] });
    });
  });

  it('marks containers as ctr of the line does, and reads the mark back', () => {
    expect(cniExtensions(flavourFor('1.6.20'))).toBeUndefined();
    const two = cniExtensions(flavourFor('2.1.9'))!;
    expect(two[CNI_EXTENSION].type_url).toBe('github.com/containerd/containerd/v2/cmd/ctr/commands/NetworkMetaData');
    expect(two[CNI_EXTENSION].value.toString()).toBe('{"EnableCni":true}');
    expect(cniExtensions(flavourFor('1.7.20'))![CNI_EXTENSION].type_url).toBe('github.com/containerd/containerd/cmd/ctr/commands/NetworkMetaData');
    const c = (extensions: Record<string, { type_url: string; value: Buffer }>) => ({ extensions }) as never;
    expect(hasCniEnabled(c(two))).toBe(true);
    expect(hasCniEnabled(c({}))).toBe(false);
    expect(hasCniEnabled(c({ [CNI_EXTENSION]: { type_url: two[CNI_EXTENSION].type_url, value: Buffer.from('{"EnableCni":false}') } }))).toBe(false);
    expect(() => hasCniEnabled(c({ [CNI_EXTENSION]: { type_url: two[CNI_EXTENSION].type_url, value: Buffer.from('x') } }))).toThrow(/^failed to unmarshal cni metadata extension ctr.cni-containerd.metadata/);
  });
});
