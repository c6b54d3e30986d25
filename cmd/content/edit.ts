/**
 * `ctrx content edit DIGEST`: copy a blob to a temporary file, run the editor
 * on it, store the result (ingest ref "edit-<digest>") and print its digest.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { info, readBlob, writeBlob } from '../../internal/content/store';
import { parseDigest } from '../../internal/images/digest';

type Args = GlobalArgs & { digest?: string; editor?: string; validate?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'edit [digest]',
  describe: 'Edit a blob and return a new digest',
  builder: (y) =>
    y
      .positional('digest', { type: 'string' })
      .option('validate', { type: 'string', describe: 'Validate the result against a format (json)' })
      .option('editor', { type: 'string', default: process.env.EDITOR ?? '', defaultDescription: 'env $EDITOR', describe: 'Select editor (vim, emacs, etc.)' }),
  handler: async (argv) => {
    if (argv.validate && argv.validate !== 'json') throw new UsageError(`validating the edit result as ${JSON.stringify(argv.validate)} is not supported (only "json")`);
    if (!argv.digest) throw new UsageError('a digest must be provided');
    const digest = parseDigest(argv.digest);
    if (!argv.editor) throw new UsageError('editor is required');
    await withClient(argv, async (c) => {
      await info(c, digest);
      const dir = fs.mkdtempSync(path.join(process.env.XDG_RUNTIME_DIR || os.tmpdir(), 'edit-'));
      const file = path.join(dir, 'blob');
      try {
        const fd = fs.openSync(file, 'w');
        for await (const chunk of readBlob(c, digest)) fs.writeSync(fd, chunk);
        fs.closeSync(fd);
        const r = spawnSync('sh', ['-c', `${argv.editor} ${file}`], { stdio: 'inherit' });
        if (r.error) throw r.error;
        if (r.status !== 0) throw new Error(`editor ${JSON.stringify(argv.editor)} exited with status ${r.status ?? r.signal}`);
        if (argv.validate === 'json') {
          try {
            JSON.parse(fs.readFileSync(file, 'utf8'));
          } catch (e) {
            throw new Error(`edited content is not valid JSON: ${(e as Error).message}`);
          }
        }
        const res = await writeBlob(c, fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, { ref: `edit-${digest}` });
        out(`${res.digest}\n`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};
export default command;
