/**
 * What every hook shares: a description without secrets, an engine opened on first use (so a task that never
 * touches it never loads its driver) and opened once even when asked twice at once, and a close that is safe to
 * call whether or not it opened.
 */
export class LazyEngine<E extends { close(): Promise<void> }> {
  readonly description: string;
  private readonly opener: () => Promise<E>;
  private opening: Promise<E> | undefined;

  constructor(description: string, open: () => Promise<E>) {
    this.description = description;
    this.opener = open;
  }

  engine(): Promise<E> {
    this.opening ??= this.opener();
    return this.opening;
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening === undefined) return;
    const engine = await opening.catch(() => undefined);
    await engine?.close();
  }
}
