import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A claimer's id: host, process id and a random part. The random part keeps a restarted worker that got the same pid
 * from passing for its dead predecessor (whose claims must lapse, not be renewed by it).
 */
export function workerId(host = hostname()): string {
  return `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
