/**
 * How the DAG processor's child learns which DAGs a file defined: while a collector is installed, every `dag()` call
 * records the DAG with the stack of its call. The collector lives on `globalThis` under a registered symbol, so a DAG
 * file that reached the authoring API by another path (another module instance) is still seen. Outside the child no
 * collector is installed and nothing is recorded (no global list grows in a long-lived process).
 */
export interface StackFrame {
  /** A path or file: URL, as V8 prints it. */
  file: string;
  line: number;
}

export interface DefinedDag {
  dag: unknown;
  frames: StackFrame[];
}

const key = Symbol.for('sparkify.orchestrator.dag-collector');

type Holder = { [key]?: DefinedDag[] };

/** Starts recording (the child calls it once); returns the list that `dag()` calls append to. */
export function installDagCollector(): DefinedDag[] {
  const holder = globalThis as Holder;
  holder[key] ??= [];
  return holder[key];
}

/** Called by `dag()`: records `dag` and where it was made, if a collector is installed. */
export function noteDagDefinition(dag: unknown): void {
  const list = (globalThis as Holder)[key];
  if (list === undefined) return;
  list.push({ dag, frames: callerFrames() });
}

/** The frames of the current stack that name a file, innermost first (the whole stack: a DAG factory may be deep). */
export function callerFrames(): StackFrame[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return framesOf(stack);
}

/** The `file:line` frames of a V8 stack text. */
export function framesOf(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const m of stack.matchAll(/^\s*at (?:.*?\()?((?:file:\/\/)?\/[^():]+?):(\d+):\d+\)?$/gm)) {
    frames.push({ file: m[1] as string, line: Number(m[2]) });
  }
  return frames;
}
