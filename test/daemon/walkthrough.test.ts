/** The README's walk-through runs cleanly against both containerd lines. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { daemon, LINES, privateRegistry } from '../helpers/rig';

describe.each(LINES)('walkthrough on containerd %s', (line) => {
  it('runs every step with no unexpected failure', async () => {
    const d = await daemon(line);
    const reg = await privateRegistry('plain');
    const script = path.join(__dirname, '..', '..', 'scripts', 'walkthrough.js');
    const r = spawnSync(process.execPath, [script, d.address, '--line', line, '--registry', reg.host], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stdout).toMatch(/walkthrough \(containerd [\d.]+\): \d+ steps, 0 unexpected failures/);
    // The container/task split, an import and a pull are all shown.
    for (const cmd of ['images import', 'images pull', 'containers create', 'tasks start', 'tasks exec', 'tasks kill', 'tasks delete', 'containers delete']) {
      expect(r.stdout).toContain(`${cmd} `);
    }
    expect(r.stdout).toMatch(/hello from inside/);
    expect(r.status).toBe(0);
  });
});
