/** The README's walk-through runs cleanly against both containerd lines. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { daemon, LINES } from '../helpers/rig';

describe.each(LINES)('walkthrough on containerd %s', (line) => {
  it('runs every step with no unexpected failure', async () => {
    const d = await daemon(line);
    const script = path.join(__dirname, '..', '..', 'scripts', 'walkthrough.js');
    const r = spawnSync(process.execPath, [script, d.address, '--line', line], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stdout).toMatch(/walkthrough: \d+ steps, 0 unexpected failures/);
    expect(r.stdout).toContain('$ ctrx version');
    expect(r.status).toBe(0);
  });
});
