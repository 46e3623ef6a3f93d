import { spawn, type SpawnOptions } from 'node:child_process';

export interface CommandResult {
  /** The exit code; null when the command could not be started (then `error` says why) or was killed. */
  code: number | null;
  /** stdout and stderr together, as they came. */
  output: string;
  error?: Error;
}

/** Runs a command to its end, its output collected; never rejects (a command that cannot start gives `error`). */
export function runCommand(cmd: string, args: string[], options: SpawnOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ code: null, output, error }));
    child.once('close', (code) => resolve({ code, output }));
  });
}
