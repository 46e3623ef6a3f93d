import { createTransport } from 'nodemailer';
import { SparkifyError, configError } from '../../core/errors.ts';
import { describeConnection, extrasOf, textExtra, type HookConnection } from './connection.ts';

/** One message to send. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

/**
 * An SMTP connection's nodemailer options (Airflow's smtp connection): host, port (default 587; 465 means implicit
 * TLS), login and password for AUTH; extras `from` (the sender, default the login), `secure` (implicit TLS),
 * `starttls` (false: never upgrade; default: upgrade when offered), `tls_reject_unauthorized` (default true) and
 * `timeout_ms` (default 30 s).
 */
export function smtpOptions(connection: HookConnection) {
  if (!connection.host) throw configError(`connection (${connection.conn_type}): host is required`);
  const extras = extrasOf(connection);
  const port = connection.port ?? 587;
  const secure = extras.secure === undefined ? port === 465 : extras.secure === true;
  const timeout = typeof extras.timeout_ms === 'number' ? extras.timeout_ms : 30_000;
  const from = textExtra(connection, extras, 'from') ?? connection.login;
  if (!from) throw configError(`connection (${connection.conn_type}): extra.from (the sender) or a login is required`);
  return {
    from,
    transport: {
      host: connection.host, port, secure,
      ignoreTLS: extras.starttls === false,
      auth: connection.login ? { user: connection.login, pass: connection.password ?? '' } : undefined,
      tls: { rejectUnauthorized: extras.tls_reject_unauthorized !== false },
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    },
  };
}

/**
 * Sends `message` through the connection's server. A failure is SPK_E_CONNECTION naming the server (never its
 * password), retryable: a mail server down now may be up for the next alert.
 */
export async function sendMail(connection: HookConnection, message: MailMessage): Promise<void> {
  const { from, transport } = smtpOptions(connection);
  const mailer = createTransport(transport);
  try {
    await mailer.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.replace(connection.password ?? '\u0000', '***') : String(cause);
    throw new SparkifyError('SPK_E_CONNECTION', `could not send mail through ${describeConnection(connection)}: ${why}`, { cause, retryable: true });
  } finally {
    mailer.close();
  }
}
