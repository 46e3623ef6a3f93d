import type { SqlSession } from '../../engines/engine.ts';
import { SparkifyError } from '../../core/errors.ts';
import type { SerializedDag } from '../dag/serialized-dag.ts';
import { getDagVersion } from '../metadb/dags.ts';

/**
 * Serialised DAG versions by (DAG, version hash), read once: a version never changes, so a scheduler keeps the ones
 * its runs use instead of reading their JSON again on every loop.
 */
export class DagVersions {
  readonly #cache = new Map<string, SerializedDag>();

  async get(session: SqlSession, dagId: string, version: string): Promise<SerializedDag> {
    const key = `${dagId}\u0000${version}`;
    let dag = this.#cache.get(key);
    if (dag === undefined) {
      dag = await getDagVersion(session, dagId, version);
      // The foreign key makes this impossible short of a hand-edited database.
      if (dag === undefined) throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${dagId} has no stored version ${version}`);
      this.#cache.set(key, dag);
    }
    return dag;
  }
}
