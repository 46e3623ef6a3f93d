import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program.command('demo').description('simulate a small dataset and load it into the embedded star schema').action(async () => {
    throw new Error('demo: not yet wired');
  });
}
