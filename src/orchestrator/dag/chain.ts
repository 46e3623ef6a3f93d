import { dagInvalid } from './dag-invalid.ts';
import { link, type TaskSet } from './base-operator.ts';

/**
 * Airflow's `chain`: each item before the next; a task or group next to a list fans out or in. Two lists side by side
 * must be of one length and pair up element by element (`chain(a, [b, c], [d, e])`: b → d, c → e), as in Airflow.
 */
export function chain(...items: (TaskSet | readonly TaskSet[])[]): void {
  for (let i = 1; i < items.length; i++) {
    const from = items[i - 1] as TaskSet | readonly TaskSet[];
    const to = items[i] as TaskSet | readonly TaskSet[];
    if (Array.isArray(from) && Array.isArray(to)) {
      if (from.length !== to.length) {
        throw dagInvalid(`chain: two lists side by side must be of one length to pair up (items ${i} and ${i + 1}: ${from.length} and ${to.length})`);
      }
      from.forEach((f: TaskSet, k: number) => link(f, to[k] as TaskSet));
    } else {
      link(from, to);
    }
  }
}
