/**
 * CRI's runtime.v1 services answer on containerd's own socket: ctrx's client
 * reaches them with the same channel, definitions and headers as containerd's API.
 */
import { Client } from '../../internal/client/client';
import { daemon, Daemon, LINES } from '../helpers/rig';

describe.each(LINES)('CRI on containerd %s', (line) => {
  let d: Daemon;
  let c: Client;
  beforeAll(async () => {
    d = await daemon(line);
    c = new Client({ address: d.address, namespace: 'k8s.io', timeoutMs: 30_000 });
  });
  afterAll(() => c.close());

  it('RuntimeService/Version names containerd and the CRI API version', async () => {
    const v = await c.unary('runtime.v1.RuntimeService', 'Version', { version: 'v1' });
    expect(v.runtime_name).toBe('containerd');
    expect(v.runtime_api_version).toBe('v1');
    expect(d.version).toContain(v.runtime_version.replace(/^v/, '').split(/[~+]/)[0]);
  });

  it('ImageService/ImageFsInfo and RuntimeService/Status decode fully', async () => {
    const fs = await c.unary('runtime.v1.ImageService', 'ImageFsInfo', {});
    expect(fs.image_filesystems.length).toBeGreaterThan(0);
    expect(fs.image_filesystems[0].fs_id?.mountpoint).toContain(d.dir);
    const st = await c.unary('runtime.v1.RuntimeService', 'Status', { verbose: false });
    expect(st.status?.conditions.map((x) => x.type)).toEqual(expect.arrayContaining(['RuntimeReady']));
  });
});
