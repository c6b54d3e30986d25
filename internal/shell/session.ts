/**
 * The `ctrx shell` loop: one process and one connection for many command
 * lines. On a terminal it is interactive (readline with history in
 * ~/.ctrx_history and tab completion); otherwise it reads command lines from
 * stdin and stops at the first failure unless told to keep going.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { completionWords, splitWords } from './split';
import { onInterrupt } from '../util/interrupt';

export interface ShellOptions {
  /** Run one command line (words after `ctrx`); resolves to its exit code, having reported any failure. */
  runLine(words: string[]): Promise<number>;
  /** Completion candidates for the last of `words`. */
  complete(words: string[]): Promise<string[]>;
  /** Stop the command that runs now (Ctrl-C). */
  interrupt(): void;
  /** Batch mode: run every line even after a failure. */
  keepGoing: boolean;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
  historyFile?: string;
}

const HISTORY_SIZE = 1000;

/** The default history file. */
export function defaultHistoryFile(): string {
  return path.join(os.homedir(), '.ctrx_history');
}

/** What a line asks for: nothing, leaving, or a command's words. */
type Parsed = { kind: 'empty' } | { kind: 'exit'; code?: number } | { kind: 'run'; words: string[] } | { kind: 'error'; message: string };

function parse(line: string): Parsed {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  // Lines pasted from a terminal may start with the program's name.
  if (words[0] === 'ctrx') words = words.slice(1);
  if (!words.length) return { kind: 'empty' };
  if (words[0] === 'exit' || words[0] === 'quit') {
    const code = words[1] === undefined ? undefined : Number(words[1]);
    return { kind: 'exit', code: code !== undefined && Number.isInteger(code) ? code : undefined };
  }
  return { kind: 'run', words };
}

/** Run the shell; resolves to the exit code for the process. */
export async function runShell(opts: ShellOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  return input.isTTY ? interactive(opts, input) : batch(opts, input);
}

// While a command runs, Ctrl-C stops its calls; a second one leaves the shell.
async function guarded(opts: ShellOptions, words: string[]): Promise<number> {
  const stopListening = onInterrupt(() => opts.interrupt());
  try {
    return await opts.runLine(words);
  } finally {
    stopListening();
  }
}

async function batch(opts: ShellOptions, input: NodeJS.ReadableStream): Promise<number> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
  let lastFailure = 0;
  let n = 0;
  for await (const line of rl) {
    n++;
    const p = parse(line);
    if (p.kind === 'empty') continue;
    if (p.kind === 'exit') {
      rl.close();
      return p.code ?? lastFailure;
    }
    let code: number;
    if (p.kind === 'error') {
      process.stderr.write(`ctrx: line ${n}: ${p.message}\n`);
      code = 1;
    } else {
      code = await guarded(opts, p.words);
    }
    if (code !== 0) {
      lastFailure = code;
      if (!opts.keepGoing) {
        rl.close();
        return code;
      }
    }
  }
  return lastFailure;
}

function loadHistory(file: string): string[] {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    return lines.slice(-HISTORY_SIZE).reverse(); // readline keeps the newest first
  } catch {
    return [];
  }
}

function saveHistory(file: string, line: string): void {
  try {
    fs.appendFileSync(file, line + '\n', { mode: 0o600 });
  } catch {
    // A read-only home just means no history across sessions.
  }
}

async function interactive(opts: ShellOptions, input: NodeJS.ReadStream): Promise<number> {
  const output = opts.output ?? process.stdout;
  const historyFile = opts.historyFile ?? defaultHistoryFile();
  const history = loadHistory(historyFile);
  const completer = (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
    const words = completionWords(line);
    const typed = line.slice(line.search(/\S*$/));
    opts.complete(words).then(
      (cands) => cb(null, [cands.length === 1 ? [cands[0] + ' '] : cands, typed]),
      () => cb(null, [[], typed]),
    );
  };
  output.write('ctrx shell: ctrx commands without "ctrx"; Tab completes, Ctrl-D or exit leaves.\n');
  for (;;) {
    // A fresh interface per line: while a command runs the terminal is the
    // command's (its own stdin, raw mode, Ctrl-C), not readline's.
    const rl = readline.createInterface({ input, output, completer, history, historySize: HISTORY_SIZE, removeHistoryDuplicates: true, terminal: true });
    const line = await new Promise<string | undefined>((resolve) => {
      let answered = false;
      rl.on('SIGINT', () => {
        // Ctrl-C at the prompt drops the line, as shells do.
        output.write('^C\n');
        rl.write(null, { ctrl: true, name: 'u' });
        rl.prompt();
      });
      rl.on('line', (l) => {
        answered = true;
        rl.close();
        resolve(l);
      });
      rl.on('close', () => {
        if (!answered) resolve(undefined);
      });
      rl.setPrompt('ctrx> ');
      rl.prompt();
    });
    if (line === undefined) {
      output.write('\n');
      return 0;
    }
    if (line.trim()) saveHistory(historyFile, line);
    const p = parse(line);
    if (p.kind === 'empty') continue;
    if (p.kind === 'exit') return p.code ?? 0;
    if (p.kind === 'error') {
      process.stderr.write(`ctrx: ${p.message}\n`);
      continue;
    }
    await guarded(opts, p.words);
  }
}
