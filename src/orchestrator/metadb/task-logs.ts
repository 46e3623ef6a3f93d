import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

/** Appends a chunk to a try's log; returns its sequence number (1, 2, …). */
export async function appendLog(session: SqlSession, key: TaskInstanceKey, tryNumber: number, text: string): Promise<number> {
  const [row] = await session.query<{ seq: number }>(sql('append-log'), [key.dagId, key.runId, key.taskId, tryNumber, text]);
  return row?.seq as number;
}

/** A try's log chunks after `afterSeq` (0: all), in order: a tail passes the last seq it read. */
export async function readLog(session: SqlSession, key: TaskInstanceKey, tryNumber: number, afterSeq = 0): Promise<{ seq: number; text: string }[]> {
  return session.query<{ seq: number; text: string }>(sql('read-log'), [key.dagId, key.runId, key.taskId, tryNumber, afterSeq]);
}
