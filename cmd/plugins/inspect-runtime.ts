/** `ctrx plugins inspect-runtime`: Introspection.PluginInfo for the task runtime (containerd 2.0+). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, printJSON, withClient } from '../context';
import { needsRelease } from '../../internal/client/features';
import { packAny, unpackAny } from '../../internal/typeurl';
import { toJSONValue } from '../../internal/api/json';
import { omitEmpty } from '../../internal/output/json';

type Args = GlobalArgs & {
  runtime: string;
  'runtime-config-path'?: string;
  'runc-binary'?: string;
  'runc-root'?: string;
  'runc-systemd-cgroup': boolean;
};

const command: CommandModule<GlobalArgs, Args> = {
  command: 'inspect-runtime',
  describe: 'Display runtime info',
  builder: (y) =>
    y
      .option('runtime', { type: 'string', default: 'io.containerd.runc.v2', describe: 'Runtime name' })
      .option('runtime-config-path', { type: 'string', describe: 'Optional runtime config path' })
      .option('runc-binary', { type: 'string', describe: 'Specify runc-compatible binary' })
      .option('runc-root', { type: 'string', describe: 'Specify runc-compatible root' })
      .option('runc-systemd-cgroup', { type: 'boolean', default: false, describe: 'Start runc with systemd cgroup manager' }),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const runcOptions = {
        binary_name: argv['runc-binary'] ?? '',
        root: argv['runc-root'] ?? '',
        systemd_cgroup: argv['runc-systemd-cgroup'],
      };
      const request = {
        runtime_path: argv.runtime,
        options: argv['runtime-config-path']
          ? packAny('runtimeoptions.v1.Options', { config_path: argv['runtime-config-path'] })
          : packAny('containerd.runc.v1.Options', runcOptions),
      };
      const res = await needsRelease(c, 'plugins inspect-runtime', '2.0', () =>
        c.unary('containerd.services.introspection.v1.Introspection', 'PluginInfo', {
          type: 'io.containerd.runtime.v2',
          id: 'task',
          options: packAny('containerd.types.RuntimeRequest', request),
        }),
      );
      const info = unpackAny(res.extra)?.value as Record<string, never> | undefined;
      if (!info) throw new Error(`unexpected PluginInfo extra ${res.extra?.type_url}`);
      const anyJSON = (a: unknown) => {
        const u = unpackAny(a as never);
        if (!u) return {};
        return u.proto ? toJSONValue(u.typeName, u.value) : u.value;
      };
      const version = info.version as { version: string; revision: string } | null;
      const annotations = info.annotations as Record<string, string>;
      printJSON({
        Name: info.name,
        Version: { Version: version?.version ?? '', Revision: version?.revision ?? '' },
        Options: omitEmpty(anyJSON(info.options)),
        Features: anyJSON(info.features),
        Annotations: Object.keys(annotations ?? {}).length ? annotations : null,
      });
    });
  },
};
export default command;
