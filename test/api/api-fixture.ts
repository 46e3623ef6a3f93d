import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/api/auth/passwords.ts';
import { buildApiServer } from '../../src/api/server.ts';
import type { ApiOptions } from '../../src/api/api-deps.ts';
import { TestClock } from '../../src/core/clock.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { createDagRun } from '../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../src/orchestrator/metadb/dags.ts';
import { SecretBox } from '../../src/orchestrator/metadb/secrets/secret-box.ts';
import { createTaskInstances } from '../../src/orchestrator/metadb/task-instances.ts';
import { createUser, type UserRole } from '../../src/orchestrator/metadb/users.ts';
import { dagVersion, metadb, task } from '../orchestrator/metadb/fixtures.ts';

export { engineKinds } from '../support/engines.ts';

export const passwords: Record<UserRole, string> = { admin: 'admin-pw-Ω', operator: 'operator-pw', viewer: 'viewer-pw' };

export interface ApiFixture {
  app: FastifyInstance;
  engine: SqlEngine;
  clock: TestClock;
  secrets: SecretBox;
  /** A bearer token for the user of that role (logged in through POST /auth/token). */
  token(role: UserRole): Promise<string>;
  auth(role: UserRole): Promise<{ authorization: string }>;
}

/**
 * A migrated metadb on `kind` with one DAG `etl` (extract → transform → load, hourly, paused) and one scheduled run
 * of it, three users (admin, operator, viewer), a controlled clock, and the API server over them (not listening).
 */
export async function apiFixture(t: TestContext, kind: 'pglite' | 'postgres', options: ApiOptions = {}): Promise<ApiFixture | undefined> {
  const engine = await metadb(t, kind);
  if (engine === undefined) return undefined;
  const clock = new TestClock('2026-12-08T00:00:00Z');
  const secrets = new SecretBox(randomBytes(32));
  const v = dagVersion('etl', [task('extract'), task('transform', { upstream: ['extract'], retries: 2 }), task('load', { upstream: ['transform'] })],
    { schedule: { kind: 'cron', expression: '0 * * * *' }, tags: ['sparkify'] });
  await engine.transaction(async (tx) => {
    await upsertDagVersion(tx, v, clock.now());
    const logical = new Date('2018-11-01T00:00:00Z');
    await createDagRun(tx, { dagId: 'etl', runId: 'scheduled__2018-11-01T00:00:00+00:00', version: v.hash, runType: 'scheduled', logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: new Date('2018-11-01T01:00:00Z') }, logical);
    await createTaskInstances(tx, 'etl', 'scheduled__2018-11-01T00:00:00+00:00');
    for (const role of ['admin', 'operator', 'viewer'] as const) {
      await createUser(tx, { username: role, role, passwordHash: await hashPassword(passwords[role]) }, clock.now());
    }
  });
  const app = await buildApiServer({ engine, clock, secrets, options });
  t.after(() => app.close());
  const tokens = new Map<UserRole, string>();
  const token = async (role: UserRole) => {
    const known = tokens.get(role);
    if (known) return known;
    const res = await app.inject({ method: 'POST', url: '/auth/token', payload: { username: role, password: passwords[role] } });
    if (res.statusCode !== 201) throw new Error(`login ${role}: ${res.statusCode} ${res.body}`);
    const made = res.json<{ access_token: string }>().access_token;
    tokens.set(role, made);
    return made;
  };
  return { app, engine, clock, secrets, token, auth: async (role) => ({ authorization: `Bearer ${await token(role)}` }) };
}

export const runId = 'scheduled__2018-11-01T00:00:00+00:00';
export const runPath = `/api/v2/dags/etl/dagRuns/${encodeURIComponent(runId)}`;
