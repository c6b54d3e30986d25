/**
 * ctrx oci spec equals that line's ctr oci spec: ctrx asks the daemon at
 * --address for its version; with no daemon there it prints 2.x's spec.
 */
import { ctr, ctrx, ctrxOn, daemon, Daemon, LINES } from '../helpers/rig';

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon(line);
  });

  it('prints the default spec ctr prints, in any namespace', () => {
    expect(ctrxOn(d, ['oci', 'spec'])).toMatchObject({ code: 0, stderr: '', stdout: ctr(d, ['oci', 'spec']).stdout });
    expect(ctrxOn(d, ['oci', 'spec'], { namespace: 'other' }).stdout).toBe(ctr(d, ['oci', 'spec'], { namespace: 'other' }).stdout);
  });

  it('takes --platform like 2.x ctr', () => {
    if (line !== '2') return; // 1.6's ctr has no --platform
    for (const p of ['windows/amd64', 'darwin/arm64', 'linux/arm64', 'freebsd/amd64']) {
      expect(ctrxOn(d, ['oci', 'spec', '--platform', p]).stdout).toBe(ctr(d, ['oci', 'spec', '--platform', p]).stdout);
    }
  });
});

it('prints 2.x defaults when no daemon answers', async () => {
  const two = await daemon('2');
  const r = ctrx(['-a', '/nonexistent/containerd.sock', 'oci', 'spec']);
  expect(r).toMatchObject({ code: 0, stdout: ctr(two, ['oci', 'spec']).stdout });
  const bad = ctrx(['-a', '/nonexistent/containerd.sock', 'oci', 'spec', '--platform', 'linux//x']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^ctrx: .*invalid/);
});
