/** `ctrx tasks ps`: the task's processes (PID INFO), exec processes with their exec ID. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'ps [id]',
  describe: 'List processes for container',
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { getContainer, getTask } = await import('../../internal/containers/task');
      const { unpackAny } = await import('../../internal/typeurl');
      const { tabwriteText } = await import('../../internal/output/tabwriter');
      await getContainer(client, id);
      await getTask(client, id);
      const { processes } = await client.unary('containerd.services.tasks.v1.Tasks', 'ListPids', { container_id: id });
      const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
      const old = /^v?1\./.test(v.version);
      let text = 'PID\tINFO\n';
      for (const p of processes) {
        const d = p.info?.type_url ? unpackAny(p.info) : undefined;
        const execId = (d?.value as { exec_id?: string } | undefined)?.exec_id;
        // ctr prints the decoded info with %+v: 1.6's gogo struct, 2.x's protobuf text.
        const info = !p.info?.type_url ? '-' : execId === undefined ? p.info.type_url : old ? `&ProcessDetails{ExecID:${execId},XXX_unrecognized:[],}` : `exec_id:${JSON.stringify(execId)}`;
        text += `${p.pid}\t${info}\n`;
      }
      out(tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 4, padchar: ' ' }));
    });
  },
};
export default command;
