/**
 * Running one CNI plugin as the CNI spec has it: the binary found in the
 * plugin directories, the operation and attachment in CNI_* variables, the
 * network config on stdin, the result (or a JSON error) on stdout.
 */
import { spawn } from 'child_process';
import { pluginError } from './result';
import { firstFileIn } from '../util/find-file';

/** The CNI operations ctrx performs. */
export type CniCommand = 'ADD' | 'DEL';

/** What a plugin is told besides its config: the attachment and where other plugins (IPAM) are. */
export interface PluginInvocation {
  command: CniCommand;
  containerId: string;
  /** The network namespace path ("" on the removals ctr makes after the task). */
  netns: string;
  ifName: string;
  pluginDirs: string[];
  /** CNI_ARGS ("K=V;K=V"); ctr passes none. */
  args?: string;
}

/** The plugin binary `type` in the first directory that has it. */
export function findPlugin(type: string, dirs: string[]): string {
  if (!dirs.length) throw new Error('no plugin directories given');
  // A type is a file name; a path in it would run something outside the plugin directories.
  if (type.includes('/')) throw new Error(`invalid plugin name: ${type}`);
  const file = firstFileIn(dirs, type);
  if (file) return file;
  throw new Error(`failed to find plugin ${JSON.stringify(type)} in path [${dirs.join(' ')}]`);
}

/** The environment a plugin runs with: ours, plus the CNI_* variables. */
export function pluginEnv(inv: PluginInvocation, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    CNI_COMMAND: inv.command,
    CNI_CONTAINERID: inv.containerId,
    CNI_NETNS: inv.netns,
    CNI_IFNAME: inv.ifName,
    CNI_ARGS: inv.args ?? '',
    CNI_PATH: inv.pluginDirs.join(':'),
  };
}

/** Run the plugin with `config` on stdin; resolves with its stdout, rejects with its error. */
export function execPlugin(file: string, inv: PluginInvocation, config: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { env: pluginEnv(inv), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`run ${file}: ${e.message}`)));
    // A plugin that exits without reading its config closes the pipe under us: its exit status says what happened.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      if (code === 0) {
        // Warnings a successful plugin prints are passed on, as libcni leaves the plugin our stderr.
        if (stderr.length) process.stderr.write(stderr);
        resolve(stdout);
      } else {
        reject(pluginError(stdout, stderr, signal ? `signal: ${signal}` : `exit status ${code}`));
      }
    });
    child.stdin.end(config);
  });
}
