/**
 * `ctrx shim exec EXEC-ID --spec process.json`: Task.Exec + Task.Start of a
 * process (an OCI Process JSON), printing its pid; with --attach, copy the
 * FIFOs to this terminal until the process closes them.
 */
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import type { CommandModule } from 'yargs';
import { out } from '../context';
import { type ShimArgs, withShim } from './args';
import { UsageError } from '../../internal/errdefs';

type Args = ShimArgs & {
  exec?: string;
  stdin?: string;
  stdout?: string;
  stderr?: string;
  tty: boolean;
  attach: boolean;
  env?: string[];
  cwd?: string;
  spec?: string;
};

const PROCESS_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Process';

const command: CommandModule<ShimArgs, Args> = {
  command: 'exec [exec]',
  describe: "Exec a new process in the task's container",
  builder: (y) =>
    y
      .positional('exec', { type: 'string', describe: 'the exec ID' })
      .option('stdin', { type: 'string', describe: 'Specify the path to the stdin fifo' })
      .option('stdout', { type: 'string', describe: 'Specify the path to the stdout fifo' })
      .option('stderr', { type: 'string', describe: 'Specify the path to the stderr fifo' })
      .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'Enable tty support' })
      // No -a: ctrx takes its global -a (--address) after the command word too.
      .option('attach', { type: 'boolean', default: false, describe: 'Stay attached to the container and open the fifos' })
      .option('env', { alias: 'e', type: 'string', array: true, describe: 'Add environment vars' })
      .option('cwd', { type: 'string', describe: 'Current working directory' })
      .option('spec', { type: 'string', describe: 'Runtime spec' }),
  handler: async (argv) => {
    if (!argv.exec) throw new UsageError('exec id must be provided');
    if (!argv.spec) throw new UsageError('a process spec file (--spec) must be provided');
    let process_: Record<string, unknown>;
    try {
      process_ = JSON.parse(fs.readFileSync(argv.spec, 'utf8'));
    } catch (e) {
      throw new Error(`read process spec ${argv.spec}: ${(e as Error).message}`);
    }
    // ctr declares --env and --cwd but never applies them; ctrx does.
    if (argv.env?.length) process_.env = [...((process_.env as string[]) ?? []), ...argv.env];
    if (argv.cwd) process_.cwd = argv.cwd;
    if (argv.tty) process_.terminal = true;
    const io = argv.attach ? await openStdio(argv) : undefined;
    await withShim(argv, async (t) => {
      await t.call(
        'Exec',
        {
          id: argv.id ?? '',
          exec_id: argv.exec,
          spec: { type_url: PROCESS_URL, value: Buffer.from(JSON.stringify(process_)) },
          stdin: argv.stdin ?? '',
          stdout: argv.stdout ?? '',
          stderr: argv.stderr ?? '',
          terminal: argv.tty,
        },
        { request: 'ExecProcessRequest', response: 'google.protobuf.Empty' },
      );
      const r = await t.call<{ pid: number }>('Start', { id: argv.id ?? '', exec_id: argv.exec }, { request: 'StartRequest', response: 'StartResponse' });
      out(`exec running with pid ${r.pid}\n`);
      if (io) await io.done;
    });
  },
};
export default command;

/** Create the FIFOs given (as ctr does) and copy them to and from this process; resolves when output ends. */
async function openStdio(argv: Args): Promise<{ done: Promise<void> }> {
  const { openReadFifo, openWriteFifo } = await import('../../internal/stdio/fifo');
  const paths = [argv.stdin, argv.stdout, argv.stderr].filter((p): p is string => !!p && !fs.existsSync(p));
  if (paths.length) {
    const r = spawnSync('mkfifo', ['-m', '0700', ...paths], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`creating FIFOs: ${r.stderr.trim()}`);
  }
  if (argv.stdin) process.stdin.pipe(openWriteFifo(argv.stdin));
  const outputs = [
    [argv.stdout, process.stdout],
    [argv.stderr, process.stderr],
  ]
    .filter(([p]) => !!p)
    .map(([p, sink]) => {
      const src = openReadFifo(p as string);
      src.pipe(sink as NodeJS.WritableStream, { end: false });
      return new Promise<void>((resolve) => src.once('end', () => resolve()).once('error', () => resolve()));
    });
  const done = Promise.all(outputs).then(() => {
    process.stdin.unpipe();
    process.stdin.pause();
  });
  return { done };
}
