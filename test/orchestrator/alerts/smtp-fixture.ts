import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  rcptTo: string[];
  /** The authenticated user. */
  user: string;
  subject: string;
  headers: string;
  body: string;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server), AUTH required (PLAIN/LOGIN over the plain connection: STARTTLS is off
 * so no certificate is needed), stopped when the test ends. `next(n)` resolves once n messages have arrived.
 */
export async function smtpServer(t: TestContext, login = { user: 'alerts', pass: 's3cret-smtp' }) {
  const received: ReceivedMail[] = [];
  const waiters: { n: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  const server = new SMTPServer({
    authOptional: false, allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === login.user && auth.password === login.pass) done(null, { user: auth.username });
      else done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session));
        for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve(received.slice(0, w.n));
        done();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return {
    port: (server.server.address() as AddressInfo).port,
    login,
    received,
    next: (n: number) => new Promise<ReceivedMail[]>((resolve) => (received.length >= n ? resolve(received.slice(0, n)) : waiters.push({ n, resolve }))),
  };
}

function parse(raw: string, session: { envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] }; user?: unknown }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/^Content-Transfer-Encoding: quoted-printable$/im.test(headers)) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return {
    from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
    rcptTo: session.envelope.rcptTo.map((r) => r.address),
    user: String(session.user),
    subject: /^Subject: (.*)$/im.exec(headers)?.[1] ?? '',
    headers,
    body: body.replace(/\r\n/g, '\n'),
  };
}
