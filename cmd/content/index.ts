/** `ctrx content`: containerd's Content service (fetch, fetch-object, fetch-blob, push-object live with remotes). */
import { defineGroup } from '../group';
import active from './active';
import del from './delete';
import edit from './edit';
import fetch from './fetch';
import fetchBlob from './fetch-blob';
import fetchObject from './fetch-object';
import get from './get';
import ingest from './ingest';
import list from './list';
import pushObject from './push-object';
import label from './label';
import prune from './prune';

export default defineGroup({
  command: 'content',
  describe: 'Manage content',
  verbs: [active, del, edit, fetch, fetchObject, fetchBlob, get, ingest, list, pushObject, label, prune],
});
