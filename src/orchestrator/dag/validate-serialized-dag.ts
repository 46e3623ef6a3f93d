import { findCycle } from './find-cycle.ts';
import { compileSchedule } from './schedule.ts';
import { triggerRules, type SerializedDag } from './serialized-dag.ts';
import { isTimeZone } from './zoned-time.ts';

/**
 * Every rule a serialised DAG breaks, each as a sentence naming the DAG and the problem; empty when it is sound. The
 * authoring API throws most of these where the mistake is made; this check is the last word on the graph (cycles and
 * missing tasks can only be seen whole) and guards a DAG that reaches the scheduler by another way than `serializeDag`.
 */
export function dagProblems(dag: SerializedDag): string[] {
  const where = `DAG '${dag.id}'`;
  const problems: string[] = [];
  if (!isTimeZone(dag.timezone)) problems.push(`${where}: unknown time zone ${JSON.stringify(dag.timezone)}`);
  else if (dag.schedule.kind === 'cron') {
    try {
      compileSchedule(dag.schedule.expression, dag.timezone);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message.replace(/^SPK_E_\w+: /, '')}`);
    }
  }
  if (Number.isNaN(Date.parse(dag.start))) problems.push(`${where}: start ${JSON.stringify(dag.start)} is not an instant`);
  if (dag.end !== null && Date.parse(dag.end) < Date.parse(dag.start)) problems.push(`${where}: start ${dag.start} is after end ${dag.end}`);
  const ids = new Set<string>();
  for (const t of dag.tasks) {
    if (ids.has(t.id)) problems.push(`${where}: duplicate task id '${t.id}'`);
    ids.add(t.id);
  }
  for (const t of dag.tasks) {
    if (!triggerRules.includes(t.triggerRule)) problems.push(`${where}, task '${t.id}': unknown trigger rule ${JSON.stringify(t.triggerRule)}`);
    for (const up of t.upstream) {
      if (!ids.has(up)) problems.push(`${where}, task '${t.id}': depends on '${up}', which is not a task of this DAG`);
    }
  }
  const cycle = findCycle(new Map(dag.tasks.map((t) => [t.id, t.upstream])));
  if (cycle !== null) problems.push(`${where}: a cycle: ${cycle.join(' → ')}`);
  return problems;
}
