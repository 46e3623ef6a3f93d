// `npm run duckdb-httpfs`: installs DuckDB's httpfs extension for the pinned DuckDB (src/engines/duckdb/httpfs.ts).
import { ensureHttpfs } from '../src/engines/duckdb/httpfs.ts';

const path = await ensureHttpfs((line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${path}\n`);
