/**
 * Completion for the command line and the shell: commands and flags from the
 * yargs tree itself (each level's builder run on a scratch parser), flag
 * choices, and live object IDs from the daemon for the positionals and flags
 * that name objects.
 */
import yargs from 'yargs/yargs';
import type { Argv } from 'yargs';

/** Kinds of object IDs the daemon can list. */
export type LiveKind =
  | 'namespaces' | 'images' | 'containers' | 'tasks' | 'snapshots' | 'content' | 'leases' | 'snapshotters'
  | 'methods' | 'api-names';

/** Global and command flags seen before the word being completed (for live lookups). */
export interface SeenFlags {
  address?: string;
  namespace?: string;
  snapshotter?: string;
}

export interface CompleteContext {
  /** A fresh top-level app. */
  app: Argv;
  /** IDs of a kind; failures should give an empty list. */
  live(kind: LiveKind, flags: SeenFlags): Promise<string[]>;
}

// yargs internals used read-only: the command table and the option table of a parser.
interface Handler {
  original: string;
  description?: string | false;
  builder?: ((y: Argv) => unknown) | Record<string, unknown>;
}
interface Options {
  key: Record<string, boolean>;
  alias: Record<string, string[]>;
  boolean: string[];
  count: string[];
  choices: Record<string, unknown[]>;
  hiddenOptions: string[];
}
interface Level {
  handlers: Record<string, Handler>;
  aliasMap: Record<string, string>;
  options: Options;
  /** Positional names from the command string (e.g. 'remove [names..]'). */
  positionals: string[];
}

function levelOf(y: Argv, original?: string): Level {
  const internals = (y as unknown as { getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, Handler>; aliasMap: Record<string, string> } } }).getInternalMethods();
  const inst = internals.getCommandInstance();
  const positionals = (original ?? '').split(/\s+/).slice(1).map((p) => p.replace(/[[\]<>.]/g, ''));
  return { handlers: inst.getCommandHandlers(), aliasMap: inst.aliasMap ?? {}, options: (y as unknown as { getOptions(): Options }).getOptions(), positionals };
}

function enter(h: Handler): Level {
  const y = yargs([]);
  if (typeof h.builder === 'function') h.builder(y);
  else if (h.builder && typeof h.builder === 'object') y.options(h.builder as never);
  return levelOf(y, h.original);
}

/** The canonical option key for a flag name at a level (or the top level). */
function optionKey(levels: Options[], name: string): { key: string; opts: Options } | undefined {
  for (const o of levels) {
    if (o.key[name] === undefined) continue;
    for (const [k, aliases] of Object.entries(o.alias)) if (k === name || aliases.includes(name)) return { key: k, opts: o };
    return { key: name, opts: o };
  }
  return undefined;
}

function takesValue(o: Options, key: string): boolean {
  const all = [key, ...(o.alias[key] ?? [])];
  return !all.some((k) => o.boolean.includes(k) || o.count.includes(k));
}

/** Which positional of which command names what (commands by canonical name or alias). */
const POSITIONALS: { group: string[]; verbs: string[]; kind: LiveKind | string[]; at?: number[] }[] = [
  { group: ['namespaces'], verbs: ['remove', 'rm', 'delete', 'del'], kind: 'namespaces' },
  { group: ['namespaces'], verbs: ['label', 'get', 'info'], kind: 'namespaces', at: [0] },
  { group: ['images'], verbs: ['remove', 'rm', 'delete', 'del', 'export', 'inspect', 'usage', 'check'], kind: 'images' },
  { group: ['images'], verbs: ['label', 'tag', 'mount', 'convert', 'push'], kind: 'images', at: [0, 1] },
  { group: ['containers'], verbs: ['delete', 'del', 'rm', 'remove', 'info', 'label', 'checkpoint'], kind: 'containers' },
  { group: ['containers'], verbs: ['create'], kind: 'images', at: [0] },
  { group: ['tasks'], verbs: ['start'], kind: 'containers', at: [0] },
  {
    group: ['tasks'],
    verbs: ['attach', 'kill', 'pause', 'resume', 'ps', 'metrics', 'metric', 'delete', 'del', 'rm', 'remove', 'checkpoint', 'exec'],
    kind: 'tasks',
    at: [0],
  },
  { group: ['snapshots'], verbs: ['info', 'delete', 'del', 'rm', 'remove', 'label', 'mounts', 'm', 'usage', 'diff', 'tree'], kind: 'snapshots' },
  { group: ['snapshots'], verbs: ['prepare', 'view', 'commit'], kind: 'snapshots', at: [1] },
  { group: ['content'], verbs: ['get', 'delete', 'del', 'rm', 'remove', 'label', 'edit', 'push-object'], kind: 'content' },
  { group: ['leases'], verbs: ['delete', 'rm', 'remove', 'del'], kind: 'leases' },
  { group: ['run'], verbs: [], kind: 'images', at: [0] },
  { group: ['install'], verbs: [], kind: 'images', at: [0] },
  { group: ['api'], verbs: ['call'], kind: 'methods', at: [0] },
  { group: ['api'], verbs: ['describe'], kind: 'api-names', at: [0] },
  { group: ['api'], verbs: ['list', 'ls'], kind: 'api-names', at: [0] },
  { group: ['completion'], verbs: [], kind: ['bash', 'zsh'], at: [0] },
];

/** Live kinds of flags that name objects. */
const FLAG_KINDS: Record<string, LiveKind> = { namespace: 'namespaces', snapshotter: 'snapshotters', lease: 'leases' };

/**
 * Candidates for the last of `words` (the words after the program name; the
 * last one is being typed and may be empty), filtered by its prefix.
 */
export async function complete(words: string[], ctx: CompleteContext): Promise<string[]> {
  const top = levelOf(ctx.app);
  let level = top;
  const path: string[] = [];
  const seen: SeenFlags = {};
  let positional = 0;
  let afterDashes = false;
  const before = words.slice(0, -1);
  const current = words[words.length - 1] ?? '';
  let pendingFlag: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const w = before[i];
    if (!afterDashes && w === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      const name = w.replace(/^--?/, '').slice(0, eq < 0 ? undefined : eq - (w.startsWith('--') ? 2 : 1));
      const found = optionKey([level.options, top.options], name);
      if (found && takesValue(found.opts, found.key)) {
        const value = eq >= 0 ? w.slice(eq + 1) : before[++i];
        if (value === undefined) pendingFlag = found.key;
        else if (found.key in FLAG_KINDS || found.key === 'address') (seen as Record<string, string>)[found.key] = value;
      }
      continue;
    }
    const canonical = level.aliasMap[w] ?? w;
    const h = !afterDashes && positional === 0 ? level.handlers[canonical] : undefined;
    if (h && h.description !== false) {
      path.push(canonical);
      level = enter(h);
      positional = 0;
      continue;
    }
    positional++;
  }
  const match = (cands: Iterable<string>) => [...new Set(cands)].filter((c) => c.startsWith(current)).sort();

  // The value of a flag.
  const lastWord = before[before.length - 1];
  const valueOf = pendingFlag ?? (lastWord && !afterDashes && lastWord.startsWith('-') && !lastWord.includes('=') ? flagNeedingValue(lastWord, [level.options, top.options]) : undefined);
  if (valueOf) return flagValues(valueOf, level, top, seen, ctx, match);
  if (!afterDashes && current.startsWith('--') && current.includes('=')) {
    const name = current.slice(2, current.indexOf('='));
    const found = optionKey([level.options, top.options], name);
    if (!found) return [];
    const prefix = current.slice(0, current.indexOf('=') + 1);
    const values = await flagValues(found.key, level, top, seen, ctx, (c) => [...c]);
    return values.map((v) => prefix + v).filter((c) => c.startsWith(current));
  }

  if (!afterDashes && current.startsWith('-')) return match(flagNames([level.options, top.options]));

  const subcommands = Object.entries(level.handlers).filter(([, h]) => h.description !== false);
  if (subcommands.length && positional === 0) {
    const names = subcommands.map(([n]) => n);
    // Aliases only when they are what is being typed (ns, c, t ...).
    if (current) for (const [a, n] of Object.entries(level.aliasMap)) if (level.handlers[n]?.description !== false) names.push(a);
    return match(names);
  }
  const kind = positionalKind(path, positional);
  if (!kind) return [];
  if (Array.isArray(kind)) return match(kind);
  return match(await ctx.live(kind, seen));
}

function flagNeedingValue(word: string, levels: Options[]): string | undefined {
  const found = optionKey(levels, word.replace(/^--?/, ''));
  return found && takesValue(found.opts, found.key) ? found.key : undefined;
}

async function flagValues(key: string, level: Level, top: Level, seen: SeenFlags, ctx: CompleteContext, match: (c: Iterable<string>) => string[]): Promise<string[]> {
  const choices = level.options.choices[key] ?? top.options.choices[key];
  if (choices?.length) return match(choices.map(String));
  const kind = FLAG_KINDS[key];
  if (kind) return match(await ctx.live(kind, seen));
  return [];
}

function flagNames(levels: Options[]): string[] {
  const out: string[] = [];
  for (const o of levels) {
    for (const k of Object.keys(o.key)) {
      if (o.hiddenOptions.includes(k) || k === 'trace-format' || k === '$0') continue;
      out.push(k.length === 1 ? `-${k}` : `--${k}`);
    }
  }
  return out;
}

function positionalKind(path: string[], index: number): LiveKind | string[] | undefined {
  const [group, verb] = path;
  for (const rule of POSITIONALS) {
    if (!rule.group.includes(group)) continue;
    if (rule.verbs.length ? !rule.verbs.includes(verb) : path.length !== 1) continue;
    if (rule.at && !rule.at.includes(index)) continue;
    return rule.kind;
  }
  return undefined;
}
