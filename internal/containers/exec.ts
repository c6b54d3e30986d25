/**
 * ctr's tasks exec: the container's process spec with the new args (and
 * --cwd, --user, --env), Tasks.Exec with its own FIFOs, Wait before Start,
 * attached until the exit, then Tasks.DeleteProcess; the exit code is passed on.
 */
import type { Client } from '../client/client';
import { isAlreadyExists } from '../errdefs';
import { OCI_SPEC_URL } from '../typeurl';
import type { Console } from '../stdio/tty';
import { replaceOrAppendEnv, withUser } from '../oci/options';
import { closeIO, containerSpec, exitWith, forwardSignalsEarly, getContainer, getTask, prepareIO, stayAttached, waitFor, type EarlyForwarder, type PreparedIO } from './task';
import { rootfsAccess } from './temp-mount';
import { goJSON } from './go-json';
import { canonicalProcess } from '../oci/spec-json';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;
const PROCESS_URL = OCI_SPEC_URL.replace(/Spec$/, 'Process');

export interface ExecRequest {
  id: string;
  args: string[];
  execId: string;
  cwd?: string;
  user?: string;
  env?: string[];
  tty: boolean;
  detach: boolean;
  fifoDir?: string;
  logURI?: string;
  console?: Console;
}

/** Run one exec process; throws ExitError with its code when non-zero. */
export async function execProcess(client: Client, r: ExecRequest): Promise<void> {
  const container = await getContainer(client, r.id);
  const spec = containerSpec(container);
  await getTask(client, r.id);
  const p = spec.process ?? { user: { uid: 0, gid: 0 }, cwd: '/' };
  p.terminal = r.tty;
  p.args = r.args;
  if (r.cwd) p.cwd = r.cwd;
  if (r.env?.length) p.env = replaceOrAppendEnv(p.env, r.env);
  if (r.user) {
    const mounts = container.snapshot_key
      ? (await client.unary('containerd.services.snapshots.v1.Snapshots', 'Mounts', { snapshotter: container.snapshotter, key: container.snapshot_key })).mounts
      : undefined;
    const root = rootfsAccess(mounts ? { mounts } : { dir: spec.root?.path ?? '/' });
    try {
      await withUser(r.user)(spec, { rootfs: root.access });
    } finally {
      root.release();
    }
  }
  let pio: PreparedIO | undefined;
  let created = false;
  let early: EarlyForwarder | undefined;
  try {
    r.console?.setRaw();
    pio = prepareIO(r.execId, { terminal: r.tty, logURI: r.logURI, fifoDir: r.fifoDir, detach: r.detach, console: r.console });
    try {
      await client.unary(TASKS, 'Exec', {
        container_id: r.id, exec_id: r.execId, stdin: pio.stdin, stdout: pio.stdout, stderr: pio.stderr, terminal: pio.terminal,
        spec: { type_url: PROCESS_URL, value: Buffer.from(goJSON(canonicalProcess(p))) },
      });
    } catch (err) {
      if (isAlreadyExists(err)) throw new Error(`exec "${r.execId}" in container "${r.id}": already exists`);
      throw err;
    }
    created = true;
    const ref = { client, containerId: r.id, execId: r.execId };
    const exit = r.detach ? undefined : waitFor(ref);
    early = r.detach ? undefined : forwardSignalsEarly(ref, r.console);
    await client.unary(TASKS, 'Start', { container_id: r.id, exec_id: r.execId });
    if (r.detach) {
      created = false;
      pio.io?.release();
      return;
    }
    const code = await stayAttached(ref, pio.io, r.console, exit!, true, early);
    await pio.io?.wait();
    exitWith(code);
  } finally {
    early?.stop();
    r.console?.reset();
    if (created) await client.unary(TASKS, 'DeleteProcess', { container_id: r.id, exec_id: r.execId }).catch(() => undefined);
    if (!r.detach || created) closeIO(pio);
  }
}
