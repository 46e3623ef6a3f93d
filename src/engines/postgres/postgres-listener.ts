import pg from 'pg';
import { SparkifyError } from '../../core/errors.ts';
import type { NotificationHandlers, NotificationListener } from '../engine.ts';
import { postgresError } from './postgres-errors.ts';

/** An unquoted identifier Postgres keeps as written (it folds unquoted names to lower case; 63 bytes at most). */
const channelPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** `name`, if it is a channel name this platform uses; else SPK_E_CONFIG (never interpolated unchecked into LISTEN). */
export function checkedChannel(name: string): string {
  if (!channelPattern.test(name)) {
    throw new SparkifyError('SPK_E_CONFIG', `${JSON.stringify(name)} is not a notification channel name (lower-case letters, digits and _, at most 63, not starting with a digit)`);
  }
  return name;
}

export interface PostgresListenerConfig {
  connectionString: string;
  applicationName?: string;
  /** Where, for error messages (no credentials). */
  description: string;
  channels: readonly string[];
  handlers: NotificationHandlers;
  /** The first reconnection waits this long, each next one twice as long up to `maxBackoffMs`. Default 100 ms. */
  backoffMs?: number;
  /** Default 2 s: a restarted server is listened to again within this long of being back. */
  maxBackoffMs?: number;
}

/**
 * A dedicated connection (not the pool's: a pooled one is handed to other queries and LISTEN would follow it) that
 * LISTENs on its channels and calls back on each notification. When the connection is lost (the server restarted, an
 * admin terminated it) it connects again with a doubling backoff and LISTENs again, then calls `listening` so the
 * caller can look for what it missed meanwhile.
 */
export class PostgresListener implements NotificationListener {
  readonly #config: Required<Omit<PostgresListenerConfig, 'applicationName'>> & { applicationName: string };
  #client: pg.Client | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Failed connections in a row: the next backoff, and whether an error is told (only the first of an outage is). */
  #failures = 0;
  #closed = false;
  #connecting: Promise<void> | undefined;

  constructor(config: PostgresListenerConfig) {
    for (const channel of config.channels) checkedChannel(channel);
    if (config.channels.length === 0) throw new SparkifyError('SPK_E_CONFIG', 'a listener needs at least one channel');
    this.#config = { backoffMs: 100, maxBackoffMs: 2000, applicationName: 'sparkify-listener', ...config };
    this.#connecting = this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    await this.#connecting;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const { connectionString, applicationName, handlers, channels } = this.#config;
    const client = new pg.Client({ connectionString, application_name: applicationName, keepAlive: true });
    let lost = false;
    // 'error' (the server's termination notice, a reset socket) and 'end' both mean this connection is gone; whichever
    // comes first starts the reconnection, once.
    const onLost = (error: unknown) => {
      if (lost) return;
      lost = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.#client === client) this.#client = undefined;
      if (!this.#closed) this.#retry(error);
    };
    client.on('error', (error) => onLost(postgresError(error, this.#config.description)));
    client.on('end', () => onLost(new SparkifyError('SPK_E_CONNECTION', `${this.#config.description}: the listening connection was closed`, { retryable: true })));
    client.on('notification', (m) => handlers.notification(m.channel, m.payload ?? ''));
    try {
      await client.connect();
      // Validated names, quoted all the same: LISTEN takes an identifier, not a parameter.
      for (const channel of channels) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      onLost(postgresError(error, this.#config.description));
      return;
    }
    if (lost) return;
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#failures = 0;
    handlers.listening?.();
  }

  #retry(error: unknown): void {
    const { backoffMs, maxBackoffMs, handlers } = this.#config;
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** this.#failures);
    if (this.#failures === 0) handlers.error?.(error, delay);
    this.#failures += 1;
    this.#retryTimer = setTimeout(() => {
      this.#connecting = this.#connect();
    }, delay);
  }
}
