/** ctr's `help`/`h` subcommand: the word in command position becomes --help, anywhere else it is left alone. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { helpWordsToFlag } from '../../cmd/help-words';

const GROUPS = new Set(['images', 'i', 'tasks', 't']);

describe('helpWordsToFlag', () => {
  it.each([
    [['help'], ['--help']],
    [['h'], ['--help']],
    [['help', 'images', 'pull'], ['images', 'pull', '--help']],
    [['images', 'help'], ['images', '--help']],
    [['i', 'h', 'pull'], ['i', 'pull', '--help']],
    [['-n', 'help', 'images', 'help'], ['-n', 'help', 'images', '--help']],
    [['--address=/x', 'h'], ['--address=/x', '--help']],
  ])('%j -> %j', (args, want) => {
    expect(helpWordsToFlag(args, GROUPS)).toEqual(want);
  });

  it.each([
    [['run', 'h', 'id']], // an image named h
    [['tasks', 'kill', 'help']], // a container named help
    [['images', 'ls', 'h']], // a filter
    [['--', 'help']],
    [[]],
  ])('leaves %j alone', (args) => {
    expect(helpWordsToFlag(args, GROUPS)).toEqual(args);
  });

  it('shows the command\'s help through the binary, exit 0', () => {
    const bin = path.join(__dirname, '..', '..', 'bin', 'ctrx');
    const viaWord = spawnSync(process.execPath, [bin, 'images', 'help', 'pull'], { encoding: 'utf8' });
    const viaFlag = spawnSync(process.execPath, [bin, 'images', 'pull', '--help'], { encoding: 'utf8' });
    expect(viaWord.status).toBe(0);
    expect(viaWord.stdout).toBe(viaFlag.stdout);
    expect(viaWord.stdout).toContain('Pull an image from a remote');
  });
});
