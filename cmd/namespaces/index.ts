/** `ctrx namespaces` (ns): containerd's Namespaces service. */
import { defineGroup } from '../group';
import create from './create';
import list from './list';
import remove from './remove';
import label from './label';

export default defineGroup({
  command: 'namespaces',
  aliases: ['namespace', 'ns'],
  describe: 'Manage namespaces',
  verbs: [create, list, remove, label],
});
