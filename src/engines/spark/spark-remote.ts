import { randomUUID } from 'node:crypto';
import { SparkifyError } from '../../core/errors.ts';

/** A Spark Connect address, `sc://host:port/;param=value;…`, as PySpark's `SparkSession.builder.remote()` takes it. */
export interface SparkRemote {
  host: string;
  port: number;
  /** The session to join or start (a UUID: the server refuses anything else); a fresh one unless `session_id=` names one. */
  sessionId: string;
  userId: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses an `sc://` address; 15002 is Spark Connect's default port. TLS (`use_ssl`, `token`) is not supported yet. */
export function parseSparkRemote(remote: string): SparkRemote {
  const bad = (why: string) => new SparkifyError('SPK_E_CONFIG', `bad Spark Connect address ${JSON.stringify(remote)}: ${why}`);
  const m = /^sc:\/\/(\[[^\]]+\]|[^:/;]+)(?::(\d+))?\/?((?:;[^;]*)*)$/.exec(remote);
  if (!m) throw bad('expected sc://host[:port][/;param=value…]');
  const params = new Map<string, string>();
  for (const pair of (m[3] ?? '').split(';').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw bad(`parameter ${JSON.stringify(pair)} is not name=value`);
    params.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
  }
  if (params.has('token') || params.get('use_ssl') === 'true') throw bad('TLS and tokens are not supported by this client yet');
  const port = Number(m[2] ?? 15002);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port ${m[2]} out of range`);
  const sessionId = params.get('session_id') ?? randomUUID();
  if (!uuid.test(sessionId)) throw bad('session_id must be a UUID');
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port, sessionId, userId: params.get('user_id') ?? 'sparkify' };
}
