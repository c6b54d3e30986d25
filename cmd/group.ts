/** A command group (ctr's `namespaces`, `images`, ...): its name, aliases and verbs. */
import type { Argv, CommandModule } from 'yargs';

export interface GroupSpec {
  command: string;
  aliases?: string[];
  describe: string;
  verbs: CommandModule<any, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Flags that belong to the group itself (ctr's `snapshots --snapshotter`). */
  flags?: (y: Argv) => Argv;
}

/** A yargs module for a group; without a verb it prints the group's help, as ctr does. */
export function defineGroup(spec: GroupSpec): CommandModule {
  let parser: Argv | undefined;
  return {
    command: spec.command,
    aliases: spec.aliases,
    describe: spec.describe,
    builder: (y: Argv) => {
      let g = spec.flags ? spec.flags(y) : y;
      for (const v of spec.verbs) g = g.command(v);
      parser = g;
      return g;
    },
    handler: () => {
      // Reached only when no verb was given: show the group's verbs, as ctr does.
      parser?.showHelp('log');
    },
  };
}
