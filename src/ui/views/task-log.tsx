import { get, seg } from '../api/client.ts';
import { ErrorLine } from '../components/errors.tsx';
import { useData } from '../use-data.ts';

/** Airflow 3 answers a log as `content`: lines as text, or structured messages with an `event`. */
type LogReply = { content: string | (string | { event?: string; timestamp?: string; level?: string })[] };

function logText(reply: LogReply | string): string {
  if (typeof reply === 'string') return reply;
  const { content } = reply;
  if (typeof content === 'string') return content;
  return content.map((line) => (typeof line === 'string' ? line : line.event ?? JSON.stringify(line))).join('\n');
}

/** One try's log; followed while the try runs. */
export function TaskLog({ dagId, runId, taskId, tryNumber, live }: { dagId: string; runId: string; taskId: string; tryNumber: number; live: boolean }) {
  const path = `/api/v2/dags/${seg(dagId)}/dagRuns/${seg(runId)}/taskInstances/${seg(taskId)}/logs/${tryNumber}?full_content=true`;
  const { data, error } = useData(() => get<LogReply | string>(path), [path], live ? 2000 : undefined);
  return (
    <>
      <ErrorLine error={error} />
      <pre className="log" data-testid="task-log" data-try={tryNumber}>{data === undefined ? 'Loading the log…' : logText(data) || '(empty log)'}</pre>
    </>
  );
}
