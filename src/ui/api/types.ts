// The shapes the UI reads: Airflow 3's stable REST API (/api/v2, as the API server follows it) and the UI's own
// /ui endpoints (src/api/routes/ui/). Only the fields the views use.

export type TaskState = 'none' | 'scheduled' | 'queued' | 'running' | 'success' | 'failed' | 'up_for_retry'
  | 'up_for_reschedule' | 'upstream_failed' | 'skipped' | 'removed' | 'restarting' | 'deferred';
export type RunState = 'queued' | 'running' | 'success' | 'failed';

export interface Dag {
  dag_id: string;
  description: string | null;
  is_paused: boolean;
  is_stale?: boolean;
  tags: { name: string }[];
  timetable_summary?: string | null;
  timetable_description?: string | null;
  next_dagrun_logical_date?: string | null;
  next_dagrun_data_interval_start?: string | null;
  fileloc?: string;
  owners?: string[];
}

export interface DagRun {
  dag_run_id: string;
  dag_id: string;
  logical_date: string | null;
  state: RunState;
  run_type: string;
  start_date: string | null;
  end_date: string | null;
  conf: Record<string, unknown> | null;
}

export interface TaskInstance {
  task_id: string;
  dag_run_id: string;
  state: TaskState | null;
  try_number: number;
  max_tries?: number;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  operator?: string | null;
  hostname?: string | null;
  pool?: string;
}

export interface ImportError {
  import_error_id: number;
  filename: string;
  stack_trace: string;
  timestamp: string;
}

export interface Connection {
  connection_id: string;
  conn_type: string;
  host: string | null;
  port: number | null;
  login: string | null;
  schema: string | null;
  password?: string | null;
  extra?: string | null;
  description: string | null;
}

export interface Variable {
  key: string;
  value: string | null;
  description: string | null;
}

// The /ui endpoints.

export interface UiTask {
  id: string;
  operator: string;
  upstream: string[];
  group: string | null;
}

export interface GridCell {
  runId: string;
  taskId: string;
  state: TaskState;
  tryNumber: number;
}

export interface GridRun {
  runId: string;
  state: RunState;
  runType: string;
  logicalDate: string;
  startDate: string | null;
  endDate: string | null;
}

export interface Grid {
  dagId: string;
  tasks: UiTask[];
  runs: GridRun[];
  cells: GridCell[];
}

export interface GraphData {
  dagId: string;
  runId: string | null;
  tasks: UiTask[];
  states: Record<string, { state: TaskState; tryNumber: number }>;
}

export interface Gantt {
  runId: string;
  tries: { taskId: string; tryNumber: number; state: string; startDate: string; endDate: string | null }[];
}

export interface Durations {
  runs: { runId: string; logicalDate: string; state: RunState; seconds: number }[];
  tasks: { runId: string; logicalDate: string; taskId: string; seconds: number }[];
}

export interface QualityCheck {
  taskId: string;
  name: string;
  sql: string;
  passed: boolean;
  value: unknown;
  reason?: string;
}

export interface DagSummary {
  dagId: string;
  recentRuns: { runId: string; state: RunState; logicalDate: string }[];
}

export interface DatasetRef {
  kind: 'table' | 'objects';
  name: string;
}

export interface Lineage {
  name: string;
  datasets: string[];
  steps: { depth: number; output: DatasetRef; dagId: string; taskId: string; lastRunId: string; inputs: DatasetRef[] }[];
}

export interface Analytics {
  warehouse: string;
  playsByHour: { hour: number; plays: number }[];
  dailyActiveUsers: { day: string; users: number }[];
  levelsByDay: { day: string; free: number; paid: number }[];
  topSongs: { song: string; artist: string; plays: number }[];
  topArtists: { artist: string; plays: number }[];
  playsByLocation: { location: string; plays: number }[];
}

/** GET /api/v2/dags/{dag_id}/deadlines: a missed deadline as the scheduler recorded it once, with its alert's state. */
export interface DeadlineMiss {
  dag_id: string;
  dag_run_id: string;
  /** Null: the run's own deadline. */
  task_id: string | null;
  reference: 'dataIntervalEnd' | 'queuedAt' | 'logicalDate';
  deadline_time: string;
  missed_at: string;
  alert_state: 'pending' | 'sending' | 'sent' | 'failed' | 'none';
  alerted_at: string | null;
  alert_error: string | null;
  dag_run_state: RunState;
}
