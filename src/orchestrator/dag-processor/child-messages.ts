/** The parent asks for one file at a time, relative to the DAG folder. */
export type ChildRequest = { type: 'load'; file: string };

/** `loaded`: the canonical JSON of each DAG the file defined. */
export type ChildReply =
  | { type: 'ready' }
  | { type: 'loaded'; file: string; dags: string[] }
  | { type: 'failed'; file: string; line: number | null; message: string };
