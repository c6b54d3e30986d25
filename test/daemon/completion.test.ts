/**
 * Completion through the built binary on both daemons: commands and flags,
 * and live IDs of every kind checked against what the real ctr lists; the
 * bash script loaded into a real bash and asked to complete.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrx, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { BIN, dropNamespace, namespaceWithImage } from './trace-fixtures';

jest.setTimeout(180_000);

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  const complete = (...words: string[]) => {
    const r = ctrx(['-a', d.address, '__complete', '--', '-a', d.address, '-n', ns, ...words]);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };
  const ids = (args: string[]) => ctr(d, args, { namespace: ns }).stdout.split('\n').filter(Boolean).sort();

  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, ref } = await namespaceWithImage(d, `comp${line.replace('.', '')}`));
  });
  afterAll(() => dropNamespace(d, ns));

  it('offers commands, verbs, flags and flag choices from the command tree', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['api', 'containers', 'images', 'namespaces', 'run', 'shell', 'tasks', 'version']));
    expect(complete('')).not.toContain('__complete');
    expect(complete('ns', '')).toEqual(['create', 'label', 'list', 'remove']);
    expect(complete('namespaces', 'list', '--f')).toEqual(['--format']);
    expect(complete('ns', 'ls', '--format', '')).toEqual(['json', 'table']);
    expect(complete('ns', 'ls', '--format=j')).toEqual(['--format=json']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh']);
    expect(complete('api', 'call', 'version.v1.Ver')).toEqual(['version.v1.Version/Version']);
  });

  it('offers live IDs of every kind, as ctr lists them', () => {
    const cid = uniqueName('cc');
    const tid = uniqueName('ct');
    const lease = uniqueName('cl');
    const snap = uniqueName('cs');
    expect(ctr(d, ['containers', 'create', ref, cid], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['run', '-d', ref, tid, 'sleep', '60'], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['leases', 'create', '--id', lease], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['snapshots', 'prepare', snap], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['content', 'ingest', 'cref'], { namespace: ns, input: uniqueName('blob') }).code).toBe(0);
    expect(complete('images', 'rm', '')).toEqual(ids(['images', 'ls', '-q']));
    expect(complete('run', '')).toEqual(ids(['images', 'ls', '-q']));
    expect(complete('containers', 'info', '')).toEqual(ids(['containers', 'ls', '-q']));
    expect(complete('c', 'rm', cid.slice(0, -2))).toEqual([cid]);
    expect(complete('tasks', 'kill', '')).toEqual(ids(['tasks', 'ls', '-q']));
    expect(complete('tasks', 'kill', '')).toEqual([tid]);
    expect(complete('leases', 'rm', '')).toEqual(ids(['leases', 'ls', '-q']));
    expect(complete('content', 'get', '')).toEqual(ids(['content', 'ls', '-q']));
    const snaps = ctr(d, ['snapshots', 'ls'], { namespace: ns }).stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/)[0]).sort();
    expect(complete('snapshots', 'info', '')).toEqual(snaps);
    expect(snaps).toContain(snap);
    expect(complete('ns', 'rm', ns.slice(0, -1))).toEqual([ns]);
    expect(complete('--namespace', ns.slice(0, -1))).toEqual([ns]);
    expect(complete('snapshots', '--snapshotter', 'ov')).toEqual(['overlayfs']);
    ctr(d, ['tasks', 'kill', '-s', 'SIGKILL', tid], { namespace: ns });
  });

  it('loads into bash and completes whole image names and digests (past bash word breaks)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-bash-'));
    fs.writeFileSync(path.join(dir, 'ctrx'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
    const script = ctrx(['completion', 'bash']).stdout;
    fs.writeFileSync(path.join(dir, 'ctrx.bash'), script);
    const digest = ids(['content', 'ls', '-q'])[0];
    const probe = `
      source ${dir}/ctrx.bash || exit 9
      complete -p ctrx
      t() { COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(ctrx); COMP_CWORD=0; _ctrx_complete; printf '%s|' "\${COMPREPLY[@]}"; echo; }
      t "ctrx -a ${d.address} -n ${ns} images rm ${ref.slice(0, ref.indexOf(':') + 1)}"
      t "ctrx -a ${d.address} -n ${ns} content get ${digest.slice(0, 12)}"
      t "ctrx na"
    `;
    const r = spawnSync('bash', ['--norc', '-c', probe], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('complete -o default -F _ctrx_complete ctrx');
    // bash replaces only what follows the last ':' of the word, so that is what comes back.
    expect(out[1]).toBe(`${ref.slice(ref.indexOf(':') + 1)}|`);
    expect(out[2]).toBe(`${digest.slice(7)}|`);
    expect(out[3]).toBe('namespace|namespaces|');
    expect(ctrx(['completion', 'zsh']).stdout).toContain('compdef _ctrx_complete ctrx');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
