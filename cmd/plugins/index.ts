/** `ctrx plugins` (plugin): containerd's Introspection service. */
import { defineGroup } from '../group';
import list from './list';
import inspectRuntime from './inspect-runtime';

export default defineGroup({
  command: 'plugins',
  aliases: ['plugin'],
  describe: 'Provides information about containerd plugins',
  verbs: [list, inspectRuntime],
});
