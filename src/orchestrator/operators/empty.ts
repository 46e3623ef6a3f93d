import { BaseOperator } from '../dag/base-operator.ts';

/** Does nothing: a DAG's begin and end markers (Airflow's EmptyOperator, the course's DummyOperator). */
export class Empty extends BaseOperator<{}> {
  execute(): void {}
}
