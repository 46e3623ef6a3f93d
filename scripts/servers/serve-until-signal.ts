/**
 * What every `*-cli.ts` server script does: start a server, print how to reach it on stdout (status on stderr), then
 * serve until Ctrl-C / SIGTERM / SIGHUP and stop it, so that the process ends normally with everything removed.
 * A start that fails prints its message and sets exit code 1.
 */
export async function serveUntilSignal<S extends { stop(): Promise<void> }>(name: string, start: () => Promise<S>,
  announce: (server: S, seconds: number) => { stdout: string; stderr: string }): Promise<void> {
  const started = performance.now();
  try {
    const server = await start();
    const said = announce(server, (performance.now() - started) / 1000);
    process.stdout.write(said.stdout.endsWith('\n') ? said.stdout : `${said.stdout}\n`);
    process.stderr.write(`${said.stderr}; Ctrl-C stops it.\n`);
    // Signal listeners do not keep Node alive; this timer does until we are told to stop.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const shutdown = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: stopping ${name}…\n`);
      clearInterval(keepAlive);
      server.stop().then(
        () => process.stderr.write('stopped.\n'),
        (error: unknown) => {
          process.stderr.write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exitCode = 1;
        },
      );
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, shutdown);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
