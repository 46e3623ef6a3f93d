import type { SqlSession } from '../../engines/engine.ts';
import { requestCallback } from '../metadb/callback-requests.ts';
import type { ActiveDagRun } from '../metadb/dag-runs.ts';
import { recordDeadlineMisses, unfinishedTaskInstances, type NewDeadlineMiss } from '../metadb/deadlines.ts';
import { deadlineOf } from '../scheduler/deadline-of.ts';
import type { DagVersions } from './dag-versions.ts';

/**
 * The DAG's open runs (queued or running, after this tick's advance) against their deadlines at `now`, under the DAG's
 * row lock: the run's own deadline (its DAG version's), and each task's whose instance has not finished (a queued run
 * has none yet: all its tasks are open). A miss is recorded once (the primary key: a later tick or another scheduler
 * finds it there) and, when it asks for a callback, a request for it is queued in the same transaction, so both
 * happen exactly once; the email goes out later from the pending row (send-deadline-alerts.ts). Returns the new ones.
 */
export async function checkDeadlines(tx: SqlSession, dagId: string, runs: readonly ActiveDagRun[], versions: DagVersions, now: Date): Promise<{ runId: string; taskId: string | null }[]> {
  const misses: NewDeadlineMiss[] = [];
  const watched: { run: ActiveDagRun; tasks: { id: string; deadline: Date; spec: NewDeadlineMiss }[] }[] = [];
  const callbacks = new Set<string>();
  const key = (runId: string, taskId: string | null) => `${runId}\u0000${taskId ?? ''}`;
  for (const run of runs) {
    const dag = await versions.get(tx, dagId, run.version);
    if (dag.deadline !== undefined) {
      const deadline = deadlineOf(dag.deadline, run);
      if (now >= deadline) {
        misses.push({ runId: run.runId, taskId: null, reference: dag.deadline.reference, deadline, alert: dag.deadline.email.length > 0 });
        if (dag.deadline.callback) callbacks.add(key(run.runId, null));
      }
    }
    const due = dag.tasks.flatMap((t) => {
      if (t.deadline === undefined) return [];
      const deadline = deadlineOf(t.deadline, run);
      return now >= deadline ? [{ id: t.id, deadline, spec: { runId: run.runId, taskId: t.id, reference: t.deadline.reference, deadline, alert: t.deadline.email.length > 0 } }] : [];
    });
    for (const t of due) if (dag.tasks.find((x) => x.id === t.id)?.deadline?.callback) callbacks.add(key(run.runId, t.id));
    if (due.length > 0) watched.push({ run, tasks: due });
  }
  const running = watched.filter((w) => w.run.state === 'running');
  const open = new Set((await unfinishedTaskInstances(tx, dagId, running.map((w) => w.run.runId), [...new Set(running.flatMap((w) => w.tasks.map((t) => t.id)))]))
    .map((o) => key(o.runId, o.taskId)));
  for (const w of watched) {
    for (const t of w.tasks) if (w.run.state === 'queued' || open.has(key(w.run.runId, t.id))) misses.push(t.spec);
  }
  const recorded = await recordDeadlineMisses(tx, dagId, misses, now);
  for (const r of recorded) {
    if (callbacks.has(key(r.runId, r.taskId))) await requestCallback(tx, { dagId, runId: r.runId, taskId: r.taskId, kind: 'deadline_miss' }, now);
  }
  return recorded;
}
