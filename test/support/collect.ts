/** Every item of an async iterable, in order (Array.fromAsync is newer than the project's es2024 lib). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
