import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';

/**
 * The password of `users create`: read from stdin when it is not a terminal (`… < file`, a pipe), else asked for at a
 * prompt that does not echo. Never a flag: a command line is visible to every user of the machine (`ps`).
 */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('password: ');
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new Error('interrupted'));
            return;
          }
          typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('users of the API server and web UI (roles viewer, operator, admin)');
  metadbFlags(users.command('create').description('add a user; the password comes from stdin or a prompt, never a flag')
    .requiredOption('--username <name>', 'the login name')
    .requiredOption('--role <role>', 'viewer (reads), operator (also runs and steers DAGs, connections, variables, pools) or admin'))
    .action(async (raw) => {
      const options = compileMetadbOptions(raw);
      const { SparkifyError, configError } = await import('../../core/errors.ts');
      const { userRoles } = await import('../../orchestrator/metadb/users.ts');
      const role = raw.role as (typeof userRoles)[number];
      if (!userRoles.includes(role)) throw configError(`--role: one of ${userRoles.join(', ')}`);
      if (!/^[A-Za-z0-9_.@-]{1,256}$/.test(raw.username)) throw configError('--username: letters, digits and _ . @ - (at most 256)');
      const password = await readPassword();
      if (password.length < 8) throw configError('the password must have at least 8 characters');
      const { hashPassword } = await import('../../api/auth/passwords.ts');
      const { createUser } = await import('../../orchestrator/metadb/users.ts');
      const passwordHash = await hashPassword(password);
      const created = await withMetadb(options, (engine) => createUser(engine, { username: raw.username, role, passwordHash }, new Date()));
      if (!created) throw new SparkifyError('SPK_E_CONFIG', `user ${raw.username} exists already`);
      if (options.json) return printJson({ username: raw.username, role, created: true });
      process.stdout.write(`user ${raw.username} (${role}) created\n`);
    });
  metadbFlags(users.command('list').description('users, their roles and live tokens (never a password or token)')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { listUsers } = await import('../../orchestrator/metadb/users.ts');
    const rows = await withMetadb(options, (engine) => listUsers(engine, new Date()));
    if (options.json) return printJson(rows);
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(rows.length === 0 ? 'no users\n' : formatTable(rows.map((u) => ({ username: u.username, role: u.role, created: u.createdAt, live_tokens: u.liveTokens }))));
  });
  metadbFlags(users.command('delete <username>').description('delete a user; its tokens stop working at once')).action(async (username: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { deleteUser } = await import('../../orchestrator/metadb/users.ts');
    if (!(await withMetadb(options, (engine) => deleteUser(engine, username)))) {
      const { SparkifyError } = await import('../../core/errors.ts');
      throw new SparkifyError('SPK_E_NOT_FOUND', `no user ${username}`);
    }
    if (options.json) return printJson({ username, deleted: true });
    process.stdout.write(`user ${username} deleted\n`);
  });
}
