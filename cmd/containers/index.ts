/** `ctrx containers` (c, container): container records, as ctr's containers commands. */
import { defineGroup } from '../group';
import create from './create';
import del from './delete';
import info from './info';
import list from './list';
import label from './label';
import checkpoint from './checkpoint';
import restore from './restore';

export default defineGroup({
  command: 'containers',
  aliases: ['c', 'container'],
  describe: 'Manage containers',
  verbs: [create, del, info, list, label, checkpoint, restore],
});
