/** ctr's way with several targets: try every one, report the first error at the end. */
export async function forEachKeepGoing<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let first: unknown;
  for (const item of items) {
    try {
      await fn(item);
    } catch (err) {
      if (first === undefined) first = err;
      else process.stderr.write(`ctrx: ${(err as Error).message}\n`);
    }
  }
  if (first !== undefined) throw first;
}
