/**
 * How the platform reaches a Cassandra cluster, validated once (zod): contact points, local data center,
 * keyspace, replication, consistency, credentials and the write pipeline's limits. No driver import here, so the
 * CLI can validate and print a plan without loading the driver.
 */
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';

export const consistencyNames = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'] as const;
export type ConsistencyName = (typeof consistencyNames)[number];

export type Replication =
  | { class: 'SimpleStrategy'; replicationFactor: number }
  | { class: 'NetworkTopologyStrategy'; dataCenters: Record<string, number> };

export interface CassandraConfig {
  /** `host` or `host:port` (IPv6 as `[::1]:9042`); the driver finds the rest of the cluster from these. */
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  replication: Replication;
  consistency: ConsistencyName;
  credentials?: { username: string; password: string };
  /** Requests in flight at once while loading. */
  concurrency: number;
  /** Retries of a timed-out (or overloaded, unavailable) request before the load fails. */
  maxRetries: number;
  /** Client-side timeout of one request. */
  requestTimeoutMs: number;
}

const contactPoint = z.string().trim().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must be host or host:port')
  .refine((p) => {
    const port = /:(\d+)$/.exec(p.replace(/^\[.*\]/, ''))?.[1];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'port must be 1-65535');

const factor = (what: string) => z.coerce.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(100);

/** `SimpleStrategy:3` or `NetworkTopologyStrategy:dc1=3,dc2=2` (class names case-insensitive). */
const replication = z.string().trim().transform((text, ctx): Replication => {
  const [name = '', spec = ''] = text.split(/:(.*)/s);
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (/^(org\.apache\.cassandra\.locator\.)?SimpleStrategy$/i.test(name)) {
    const rf = factor('the replication factor').safeParse(spec);
    return rf.success ? { class: 'SimpleStrategy', replicationFactor: rf.data } : fail(`SimpleStrategy:<factor>: ${rf.error.issues[0]?.message}`);
  }
  if (/^(org\.apache\.cassandra\.locator\.)?NetworkTopologyStrategy$/i.test(name)) {
    const dataCenters: Record<string, number> = {};
    for (const pair of spec.split(',')) {
      const [dc = '', n = ''] = pair.split('=').map((s) => s.trim());
      if (!/^[A-Za-z0-9_.-]+$/.test(dc)) return fail(`NetworkTopologyStrategy:<dc>=<factor>,…: bad data center ${JSON.stringify(dc)}`);
      const rf = factor(`the factor of ${dc}`).safeParse(n);
      if (!rf.success) return fail(rf.error.issues[0]?.message ?? 'bad factor');
      dataCenters[dc] = rf.data;
    }
    return { class: 'NetworkTopologyStrategy', dataCenters };
  }
  return fail('must be SimpleStrategy:<factor> or NetworkTopologyStrategy:<dc>=<factor>[,<dc>=<factor>…]');
});

export const cassandraConfigSchema = z.object({
  contactPoints: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((s) => s.trim() !== '') : v),
    z.array(contactPoint).min(1, 'name at least one contact point')),
  localDc: z.string().trim().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'must be a data center name'),
  // Lower-case only: unquoted CQL identifiers are folded to lower case, so this is the name Cassandra shows.
  keyspace: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be lower-case letters, digits and _, starting with a letter, at most 48'),
  replication,
  consistency: z.string().trim().toUpperCase().pipe(z.enum(consistencyNames)),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  concurrency: z.coerce.number().int().min(1).max(2048),
  retries: z.coerce.number().int().min(0).max(20),
  timeoutMs: z.coerce.number().int().min(100).max(600_000),
}).superRefine((o, ctx) => {
  if ((o.username === undefined) !== (o.password === undefined)) {
    ctx.addIssue({ code: 'custom', path: [o.username === undefined ? 'username' : 'password'],
      message: 'username and password go together (the password comes from SPARKIFY_CASSANDRA_PASSWORD)' });
  }
  const r = o.replication;
  if (r.class === 'NetworkTopologyStrategy' && r.dataCenters[o.localDc] === undefined) {
    ctx.addIssue({ code: 'custom', path: ['replication'], message: `keeps no replica in the local data center ${o.localDc}` });
  }
  const needed = replicasNeeded(o.consistency, r, o.localDc);
  if (needed.required > needed.available) {
    ctx.addIssue({ code: 'custom', path: ['consistency'],
      message: `${o.consistency} needs ${needed.required} replicas but the keyspace keeps ${needed.available}${needed.where}` });
  }
});

export type CassandraConfigInput = z.input<typeof cassandraConfigSchema>;

/** Defaults for a local single node; flags and environment override them before this runs. */
export const cassandraDefaults = {
  contactPoints: '127.0.0.1:9042',
  localDc: 'datacenter1',
  keyspace: 'sparkify',
  replication: 'SimpleStrategy:1',
  consistency: 'LOCAL_QUORUM',
  concurrency: 64,
  retries: 5,
  timeoutMs: 12_000,
} as const;

export function compileCassandraConfig(raw: Partial<CassandraConfigInput>): CassandraConfig {
  const o = compileOptions(cassandraConfigSchema, { ...cassandraDefaults, ...dropUndefined(raw) });
  return {
    contactPoints: o.contactPoints,
    localDataCenter: o.localDc,
    keyspace: o.keyspace,
    replication: o.replication,
    consistency: o.consistency,
    ...(o.username !== undefined && o.password !== undefined ? { credentials: { username: o.username, password: o.password } } : {}),
    concurrency: o.concurrency,
    maxRetries: o.retries,
    requestTimeoutMs: o.timeoutMs,
  };
}

/** Where a command goes, for plans and reports: never the password. */
export function describeCassandra(config: CassandraConfig): string {
  const user = config.credentials ? ` as ${config.credentials.username}` : '';
  return `cassandra ${config.contactPoints.join(',')} (dc ${config.localDataCenter}) keyspace ${config.keyspace}${user}`;
}

/** How many replicas a consistency level waits for, against how many the keyspace keeps. */
export function replicasNeeded(level: ConsistencyName, r: Replication, localDc: string): { required: number; available: number; where: string } {
  const total = r.class === 'SimpleStrategy' ? r.replicationFactor : Object.values(r.dataCenters).reduce((a, b) => a + b, 0);
  const local = r.class === 'SimpleStrategy' ? r.replicationFactor : (r.dataCenters[localDc] ?? 0);
  const quorum = (n: number) => Math.floor(n / 2) + 1;
  switch (level) {
    case 'ANY': case 'ONE': return { required: 1, available: total, where: '' };
    case 'TWO': return { required: 2, available: total, where: '' };
    case 'THREE': return { required: 3, available: total, where: '' };
    case 'QUORUM': return { required: quorum(total), available: total, where: '' };
    case 'ALL': return { required: total, available: total, where: '' };
    case 'LOCAL_ONE': return { required: 1, available: local, where: ` in ${localDc}` };
    case 'LOCAL_QUORUM': case 'EACH_QUORUM': return { required: quorum(local), available: local, where: ` in ${localDc}` };
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
