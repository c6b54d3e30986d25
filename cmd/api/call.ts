/**
 * `ctrx api call SERVICE/METHOD [REQUEST|-]`: any method of containerd's API or
 * CRI, JSON in and JSON out. Unary and server-streaming calls take one request
 * (an argument, `-` for stdin, or `{}`); client and bidi streams read JSON
 * lines from stdin, sending each as it comes while printing the replies.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, rawArgs, withClient } from '../context';
import { RpcError, UsageError, wrap } from '../../internal/errdefs';

type Args = GlobalArgs & { method?: string; request?: string; 'emit-defaults': boolean; compact: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'call [method] [request]',
  describe: 'Call a method with a JSON request (- reads stdin; streams take JSON lines on stdin) and print the replies as JSON',
  builder: (y) =>
    y
      .positional('method', { type: 'string', describe: 'service/method, e.g. version.v1.Version/Version' })
      .positional('request', { type: 'string', describe: 'the request as JSON, or - for stdin (default {})' })
      .option('emit-defaults', { type: 'boolean', default: false, describe: 'Print fields that hold their default value too' })
      .option('compact', { type: 'boolean', default: false, describe: 'One line per reply (JSON lines)' }),
  handler: async (argv) => {
    if (!argv.method) throw new UsageError('a method must be provided (see ctrx api list)');
    const { loadServices, resolveMethod } = await import('../../internal/client/api-catalog');
    const { fromJSONValue } = await import('../../internal/client/from-json');
    const { renderMessage } = await import('../../internal/trace/render');
    const { service, method } = resolveMethod(await loadServices(), argv.method);
    const print = (res: unknown) => {
      const v = renderMessage(method.response, res, { emitDefaults: argv['emit-defaults'] });
      out((argv.compact ? JSON.stringify(v) : JSON.stringify(v, null, 4)) + '\n');
    };
    const parse = (text: string, where: string) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${where} is not JSON: ${(e as Error).message}`);
      }
      return fromJSONValue(method.request, json);
    };
    const name = `${service.name}/${method.name}`;
    // yargs turns a lone '-' positional into ''.
    const fromStdin = argv.request === '-' || (argv.request === '' && rawArgs().includes('-'));
    const given = fromStdin ? undefined : argv.request;
    await withClient(argv, async (c) => {
      try {
        if (method.kind === 'unary' || method.kind === 'server') {
          const text = fromStdin ? await readAll(process.stdin) : given ?? '{}';
          const req = parse(text, 'the request');
          if (method.kind === 'unary') print(await c.rawUnary(service.name, method.name, req));
          else for await (const res of c.rawServerStream(service.name, method.name, req, { noDeadline: true })) print(res);
          return;
        }
        const stream = c.rawDuplex(service.name, method.name, { noDeadline: true });
        const sending = (async () => {
          if (given !== undefined) {
            await stream.send(parse(given, 'the request'));
          } else {
            let n = 0;
            for await (const line of jsonLines(process.stdin)) {
              n++;
              await stream.send(parse(line, `line ${n} of stdin`));
            }
          }
          stream.end();
        })();
        // If sending fails (bad JSON), stop the call so the replies loop ends too.
        sending.catch(() => stream.cancel());
        for await (const res of stream) print(res);
        await sending;
      } catch (err) {
        if (err instanceof RpcError) {
          const { statusName } = await import('../../internal/trace/tracer');
          throw wrap(err, `${name}: ${statusName(err.code)}`);
        }
        throw err;
      }
    });
  },
};
export default command;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Non-empty lines of a stream, as they arrive. */
async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let buf = '';
  for await (const c of stream) {
    buf += c.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield line;
    }
  }
  if (buf.trim()) yield buf.trim();
}
