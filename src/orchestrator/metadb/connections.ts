import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import type { ConnectionFields } from './connection-uri.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import { sql } from './sql.ts';

export interface Connection extends ConnectionFields {
  connId: string;
  description: string | null;
}

/** A connection as a listing shows it: whether it has a password and extras, never their values. */
export interface ConnectionSummary extends Omit<Connection, 'password' | 'extra'> {
  hasPassword: boolean;
  hasExtra: boolean;
}

const passwordContext = (id: string) => `connection:${id}:password`;
const extraContext = (id: string) => `connection:${id}:extra`;

/** Adds or replaces a connection; its password and extras are sealed before they reach the database. */
export async function putConnection(session: SqlSession, box: SecretBox, c: Connection): Promise<void> {
  const password = c.password === null ? null : box.seal(c.password, passwordContext(c.connId));
  const extra = Object.keys(c.extra).length === 0 ? null : box.seal(JSON.stringify(c.extra), extraContext(c.connId));
  await session.query(sql('upsert-connection'), [c.connId, c.connType, c.host, c.port, c.login, c.schema, password, extra, c.description]);
}

/** A connection with its secrets opened, for a hook; SPK_E_NOT_FOUND if there is none. */
export async function getConnection(session: SqlSession, box: SecretBox, connId: string): Promise<Connection> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-connection'), [connId]);
  if (r === undefined) throw new SparkifyError('SPK_E_NOT_FOUND', `no connection ${connId}`);
  return {
    connId,
    connType: r.conn_type as string,
    host: r.host as string | null,
    port: r.port as number | null,
    login: r.login as string | null,
    schema: r.schema as string | null,
    password: r.password_encrypted === null ? null : box.open(r.password_encrypted as string, passwordContext(connId)),
    extra: r.extra_encrypted === null ? {} : JSON.parse(box.open(r.extra_encrypted as string, extraContext(connId))),
    description: r.description as string | null,
  };
}

export async function listConnections(session: SqlSession): Promise<ConnectionSummary[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-connections'));
  return rows.map((r) => ({
    connId: r.conn_id as string,
    connType: r.conn_type as string,
    host: r.host as string | null,
    port: r.port as number | null,
    login: r.login as string | null,
    schema: r.schema as string | null,
    hasPassword: r.has_password as boolean,
    hasExtra: r.has_extra as boolean,
    description: r.description as string | null,
  }));
}

/** False when there was no such connection. */
export async function deleteConnection(session: SqlSession, connId: string): Promise<boolean> {
  return (await session.query(sql('delete-connection'), [connId])).length > 0;
}
