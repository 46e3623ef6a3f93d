/**
 * Loaded with `node --import` into a child process: appends the URL of every module the process resolves to the file
 * named by SPARKIFY_TEST_MODULE_LOG, so that a test can tell which packages a command loaded.
 */
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.SPARKIFY_TEST_MODULE_LOG;
if (log) {
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      appendFileSync(log, `${resolved.url}\n`);
      return resolved;
    },
  });
}
