/**
 * Progress for long work, on stderr so stdout stays clean for results and --json. On a terminal the
 * line is redrawn in place; elsewhere (CI, pipes) a line is printed at most every few seconds.
 */
export interface Progress {
  /** `done` omitted: a step without a count (a SQL statement). */
  update(label: string, done?: number, total?: number): void;
  done(message: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = true, now: () => number = Date.now): Progress {
  const tty = Boolean(stream.isTTY);
  const every = tty ? 100 : 3000;
  let last = 0;
  let drawn = false;
  return {
    update(label, done, total) {
      if (!enabled) return;
      const t = now();
      if (t - last < every) return;
      last = t;
      const pct = total && done !== undefined ? ` (${Math.floor((done / total) * 100)}%)` : '';
      const count = done === undefined ? '' : `: ${done.toLocaleString('en-US')}${total ? ` / ${total.toLocaleString('en-US')}` : ''}${pct}`;
      const text = `${label}${count}`;
      if (tty) {
        stream.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else stream.write(`${text}\n`);
    },
    done(message) {
      if (!enabled) return;
      if (tty && drawn) stream.write('\r\x1b[2K');
      drawn = false;
      stream.write(`${message}\n`);
    },
  };
}

export const silentProgress: Progress = { update() {}, done() {} };
