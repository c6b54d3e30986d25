/** `ctrx images` (image, i): image records, archives, unpacking (pull and push live with remotes). */
import { defineGroup } from '../group';
import check from './check';
import convert from './convert';
import inspect from './inspect';
import mount from './mount';
import unmount from './unmount';
import del from './delete';
import exportCmd from './export';
import importCmd from './import';
import label from './label';
import list from './list';
import prune from './prune';
import pull from './pull';
import push from './push';
import tag from './tag';
import usage from './usage';

export default defineGroup({
  command: 'images',
  aliases: ['image', 'i'],
  describe: 'Manage images',
  verbs: [check, exportCmd, importCmd, inspect, list, mount, unmount, pull, push, prune, del, tag, label, convert, usage],
});
