// Finds Debian's headless Chromium for the browser tests (test/ui/), installing it with apt-get when it is missing,
// as servers/postgres-server.ts installs PostgreSQL. playwright-core drives it; Playwright's own browser download is
// not used, so the tests run on the distribution's patched build and need no network beyond apt.
import { existsSync, readdirSync } from 'node:fs';
import { runCommand } from './run-command.ts';

/**
 * Where Debian puts the two packages' binaries. The headless shell is the smaller install (no X11 stack) and all
 * playwright-core needs for headless pages; the full `chromium` works too, so an existing one is used as it is.
 */
const candidates = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
];

/** The first Chromium found on this machine, or undefined. */
export function findChromium(): string | undefined {
  return candidates.find((path) => existsSync(path));
}

/** A Chromium executable: the one found, else Debian's `chromium-headless-shell`, installed (as root or via sudo -n). */
export async function ensureChromium(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const found = findChromium();
  if (found) return found;
  const asRoot = process.getuid?.() === 0;
  log(`Chromium not found: installing Debian package 'chromium-headless-shell' (apt-get${asRoot ? '' : ' via sudo -n'})…`);
  // `env` because sudo drops the caller's environment; the lock timeout lets parallel installers queue up.
  const apt = (...args: string[]) =>
    runCommand(asRoot ? 'env' : 'sudo', [...(asRoot ? [] : ['-n', 'env']), 'DEBIAN_FRONTEND=noninteractive', 'apt-get',
      '-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: ['ignore', 2, 2] });
  const install = () => apt('install', '-y', '--no-install-recommends', 'chromium-headless-shell', 'fonts-dejavu-core');
  const listsDir = '/var/lib/apt/lists';
  const haveLists = existsSync(listsDir) && readdirSync(listsDir).some((f) => f.includes('_Packages'));
  let result = haveLists ? await install() : undefined;
  // Missing or stale package lists (404s) are fixed by an update.
  if (result?.code !== 0) {
    const update = await apt('update');
    result = update.code === 0 ? await install() : update;
  }
  const path = findChromium();
  if (result.code !== 0 || path === undefined) {
    throw new Error(`could not install Chromium with apt-get (${result.error?.message ?? `exit ${result.code}`}); ` +
      `install Debian's 'chromium-headless-shell' (or 'chromium') yourself${asRoot ? '' : ' or allow passwordless sudo'}`);
  }
  return path;
}

if (import.meta.main) {
  ensureChromium().then((path) => process.stdout.write(`${path}\n`), (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
