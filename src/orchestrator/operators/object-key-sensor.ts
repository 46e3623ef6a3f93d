import { setTimeout as sleep } from 'node:timers/promises';
import { configError, SparkifyError } from '../../core/errors.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import { durationMs, type Duration } from '../dag/duration.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { ObjectStoreHook } from '../hooks/object-store-hook.ts';
import { objects, staticPrefix, under } from './dataset-names.ts';
import { hookConnection, withHook } from './hook-connection.ts';
import { RescheduleRequest } from './reschedule-request.ts';

export type ObjectKeySensorParams = {
  storageConnId: string;
  /** S3 only: the bucket (default: the connection's schema). */
  bucket?: string;
  /** Templated: `log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json`. */
  key: string;
  /** true: any object whose key starts with `key` will do; false (default): exactly `key`. */
  prefix?: boolean;
  /** 'poke' (default): the task waits in its slot between pokes. 'reschedule': it frees the slot and comes back. */
  mode?: 'poke' | 'reschedule';
  /** Between pokes; default 60 s (Airflow's). */
  pokeInterval?: Duration;
  /** From the first poke, across reschedules; then the task fails (SPK_E_TIMEOUT, not retried). Default 7 days (Airflow's). */
  timeout?: Duration;
};

/** Airflow's S3KeySensor over the object stores (a local directory or S3). Returns the key it found. */
export class ObjectKeySensor extends BaseOperator<ObjectKeySensorParams, string> {
  override readonly templateFields = ['storageConnId', 'bucket', 'key'] as const;

  constructor(scope: TaskScope, id: string, options: ObjectKeySensorParams & TaskOptions) {
    if (typeof options?.key !== 'string' || options.key === '') throw configError(`ObjectKeySensor '${id}': key is required`);
    if (options.mode !== undefined && options.mode !== 'poke' && options.mode !== 'reschedule') throw configError(`ObjectKeySensor '${id}': mode is 'poke' or 'reschedule'`);
    if (options.pokeInterval !== undefined) durationMs(options.pokeInterval, `ObjectKeySensor '${id}': pokeInterval`);
    if (options.timeout !== undefined) durationMs(options.timeout, `ObjectKeySensor '${id}': timeout`);
    super(scope, id, { inlets: [objects(staticPrefix(options.key))], ...options });
  }

  async execute(context: TaskContext<ObjectKeySensorParams>): Promise<string> {
    const p = context.params;
    const interval = durationMs(p.pokeInterval ?? 60_000, 'pokeInterval');
    const timeout = durationMs(p.timeout ?? 7 * 86_400_000, 'timeout');
    // The runner's clock when there is one: next_try_at is compared with the scheduler's clock, not this process's.
    const now = () => context.now?.() ?? new Date();
    const firstPokeAt = context.rescheduledSince ?? now();
    const hook = new ObjectStoreHook(await hookConnection(context, p.storageConnId));
    const where = under(hook.base(p.bucket), p.key);
    this.inlets = [objects(where)];
    return withHook(await hook.store(p.bucket), async (store) => {
      for (let poke = 1; ; poke++) {
        context.signal.throwIfAborted();
        const found = await findKey(store, p.key, p.prefix === true);
        if (found !== null) {
          context.log(`found ${store.url(found)}`);
          return found;
        }
        const at = now().getTime();
        const waited = at - firstPokeAt.getTime();
        if (waited >= timeout) {
          // Airflow does not retry a sensor that timed out: another try would wait for the same object again.
          throw new SparkifyError('SPK_E_TIMEOUT', `no object ${p.prefix === true ? 'under' : 'at'} ${where} after ${Math.round(waited / 1000)} s (timeout ${timeout / 1000} s)`,
            { retryable: false, details: { sensor: true, key: p.key, timeoutMs: timeout } });
        }
        const next = Math.min(interval, timeout - waited);
        context.log(`poke ${poke}: nothing ${p.prefix === true ? 'under' : 'at'} ${where} yet; ${p.mode === 'reschedule' ? 'rescheduled' : 'poking again'} in ${next} ms`);
        if (p.mode === 'reschedule') throw new RescheduleRequest(new Date(at + next), firstPokeAt);
        await sleep(next, undefined, { signal: context.signal }).catch(() => context.signal.throwIfAborted());
      }
    });
  }
}

/** The key itself, or the first key under it: one listing page at most, since the store lists in key order. */
async function findKey(store: ObjectStore, key: string, prefix: boolean): Promise<string | null> {
  for await (const o of store.list(key)) {
    if (prefix || o.key === key) return o.key;
    if (o.key > key) break;
  }
  return null;
}
