/** `ctrx tasks` (t, task): the processes of containers, as ctr's tasks commands. */
import { defineGroup } from '../group';
import attach from './attach';
import del from './delete';
import exec from './exec';
import list from './list';
import kill from './kill';
import pause from './pause';
import ps from './ps';
import resume from './resume';
import start from './start';
import metrics from './metrics';
import checkpoint from './checkpoint';

export default defineGroup({
  command: 'tasks',
  aliases: ['t', 'task'],
  describe: 'Manage tasks',
  verbs: [attach, checkpoint, del, exec, list, kill, pause, ps, resume, start, metrics],
});
