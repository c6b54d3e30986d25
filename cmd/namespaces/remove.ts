/** `ctrx namespaces remove NAME...`: Namespaces.Delete for each, first error wins. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, wrap } from '../../internal/errdefs';
import { forEachKeepGoing } from '../../internal/util/keep-going';

type Args = GlobalArgs & { names?: string[]; cgroup: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'remove [names..]',
  aliases: ['rm'],
  describe: 'Remove one or more namespaces',
  builder: (y) =>
    y
      .positional('names', { type: 'string', array: true })
      .option('cgroup', { alias: 'c', type: 'boolean', default: false, describe: "Delete the namespace's cgroup" }),
  handler: async (argv) => {
    const names = argv.names ?? [];
    if (!names.length) throw new UsageError('must specify at least one namespace');
    await withClient(argv, (c) =>
      forEachKeepGoing(names, async (name) => {
        if (argv.cgroup) await removeNamespaceCgroup(name);
        try {
          await c.unary('containerd.services.namespaces.v1.Namespaces', 'Delete', { name });
        } catch (err) {
          throw wrap(err, `unable to delete ${name}`);
        }
        out(`${name}\n`);
      }),
    );
  },
};
export default command;

// ctr removes the cgroup that shims put a namespace's tasks in (/<namespace>)
// on this machine before deleting the namespace; a missing cgroup is fine.
async function removeNamespaceCgroup(name: string): Promise<void> {
  const fs = await import('fs');
  const root = '/sys/fs/cgroup';
  const dirs = fs.existsSync(`${root}/cgroup.controllers`)
    ? [`${root}/${name}`]
    : fs.readdirSync(root).map((ctl) => `${root}/${ctl}/${name}`);
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new Error(`unable to delete cgroup ${d}: ${(e as Error).message}`);
    }
  }
}
