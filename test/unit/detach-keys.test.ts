/** Detach keys: Docker's notation parsed to bytes, and the input filter that spots the sequence. */
import { DetachFilter, parseDetachKeys } from '../../internal/stdio/detach-keys';

describe('parseDetachKeys', () => {
  it.each([
    ['ctrl-p,ctrl-q', [16, 17]],
    ['ctrl-a,d', [1, 100]],
    ['CTRL-Z', [26]],
    ['ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_', [0, 27, 28, 29, 30, 31]],
  ])('%s', (spec, bytes) => expect([...parseDetachKeys(spec)]).toEqual(bytes));

  it.each(['', 'ctrl-', 'ctrl-1', 'ab', 'ctrl-p,,ctrl-q'])('refuses %j', (spec) => {
    expect(() => parseDetachKeys(spec)).toThrow(/^invalid detach keys/);
  });
});

describe('DetachFilter', () => {
  const feed = (keys: string, chunks: string[]) => {
    const f = new DetachFilter(parseDetachKeys(keys));
    const out: Buffer[] = [];
    let detached = false;
    f.on('data', (b: Buffer) => out.push(b));
    f.on('detach', () => (detached = true));
    for (const c of chunks) f.write(Buffer.from(c, 'latin1'));
    return { passed: Buffer.concat(out).toString('latin1'), detached };
  };

  it('detaches on the whole sequence, split across reads, and keeps it from the task', () => {
    expect(feed('ctrl-p,ctrl-q', ['ls\r\x10', '\x11after'])).toEqual({ passed: 'ls\r', detached: true });
  });

  it('lets a broken sequence through, byte for byte', () => {
    expect(feed('ctrl-p,ctrl-q', ['a\x10b', '\x10\x10\x11'])).toEqual({ passed: 'a\x10b\x10', detached: true });
    expect(feed('ctrl-p,ctrl-q', ['\x10x'])).toEqual({ passed: '\x10x', detached: false });
  });
});
