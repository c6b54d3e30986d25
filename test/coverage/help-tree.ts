/**
 * Command trees read from `--help`, recursively: ctr's (urfave/cli v1 in 1.6,
 * v2 in 2.x) and ctrx's (yargs). A tree maps a command path ("snapshots
 * list") to its aliases and flags (long and short names, without dashes).
 */
import { spawn } from 'child_process';
import * as path from 'path';

export interface CommandNode {
  path: string;
  aliases: string[];
  flags: string[];
  /** ctrx only: the command is a placeholder ("not implemented yet"). */
  placeholder: boolean;
}

export type Tree = Map<string, CommandNode>;

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...env, COLUMNS: '100' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

/** Flag names in the first column of an options line: "--target value, -t value" -> [target, t]. */
function flagNames(head: string): string[] {
  return head
    .split(/,\s+/)
    .map((part) => part.trim().split(/\s+/)[0])
    .filter((w) => /^--?[A-Za-z0-9]/.test(w))
    .map((w) => w.replace(/^--?/, '').replace(/=.*$/, ''));
}

/** The lines of one section ("COMMANDS:", "Options:") up to the next heading. */
function section(text: string, heading: RegExp): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** Parse one ctr help page: subcommands (name and aliases) and flags. */
export function parseCtrHelp(text: string): { commands: { name: string; aliases: string[] }[]; flags: string[] } {
  const commands = section(text, /^COMMANDS:/)
    .filter((l) => /^ {3}\S/.test(l))
    .map((l) => l.trim().split(/\s{2,}/)[0].split(/,\s*/))
    .map(([name, ...aliases]) => ({ name, aliases }));
  const flags = section(text, /^(OPTIONS|GLOBAL OPTIONS):/)
    .filter((l) => /^ {3}-/.test(l))
    .flatMap((l) => flagNames(l.trim().split(/\s{2,}/)[0]));
  return { commands, flags };
}

/** Parse one ctrx (yargs) help page of command `prefix` ("ctrx snapshots"). */
export function parseCtrxHelp(text: string, prefix: string): { commands: { name: string; aliases: string[]; describe: string }[]; flags: string[] } {
  const blocks: string[] = [];
  for (const l of section(text, /^Commands:/)) {
    if (l.startsWith(`  ${prefix} `)) blocks.push(l);
    else if (blocks.length && l.trim()) blocks[blocks.length - 1] += ' ' + l.trim();
  }
  const commands = blocks.map((b) => {
    const rest = b.slice(`  ${prefix} `.length);
    const name = rest.split(/\s+/)[0];
    const aliases = /\[aliases: ([^\]]*)\]/.exec(b)?.[1].split(/,\s*/) ?? [];
    return { name, aliases, describe: rest };
  });
  const flags = section(text, /^Options:/)
    .filter((l) => /^\s+-/.test(l))
    .flatMap((l) => flagNames(l.trim().split(/\s{2,}/)[0]));
  return { commands, flags };
}

/** Run async jobs with at most `limit` at a time (the machine's two cores are shared). */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** ctr's tree: every command below the top, with the top's global flags under path "". */
export async function ctrTree(ctr: string): Promise<Tree> {
  const tree: Tree = new Map();
  const visit = async (words: string[], aliases: string[]): Promise<void> => {
    const help = parseCtrHelp(await run(ctr, [...words, '--help']));
    tree.set(words.join(' '), { path: words.join(' '), aliases, flags: help.flags, placeholder: false });
    await pool(help.commands, 3, async (c) => {
      // urfave/cli's own `help` command: recorded, never descended into.
      if (c.name === 'help') tree.set([...words, c.name].join(' '), { path: [...words, c.name].join(' '), aliases: c.aliases, flags: [], placeholder: false });
      else await visit([...words, c.name], c.aliases);
    });
  };
  await visit([], []);
  return tree;
}

const CTRX_BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

/** ctrx's tree, read the same way through the built binary. */
export async function ctrxTree(): Promise<Tree> {
  const tree: Tree = new Map();
  const visit = async (words: string[], aliases: string[], placeholder: boolean): Promise<void> => {
    const text = await run(process.execPath, [CTRX_BIN, ...words, '--help']);
    const help = parseCtrxHelp(text, ['ctrx', ...words].join(' '));
    tree.set(words.join(' '), { path: words.join(' '), aliases, flags: help.flags, placeholder });
    await pool(help.commands, 3, (c) => visit([...words, c.name], c.aliases, /not implemented yet/i.test(c.describe)));
  };
  await visit([], [], false);
  return tree;
}
