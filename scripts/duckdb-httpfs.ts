// `npm run duckdb-httpfs`: installs DuckDB's httpfs extension for the pinned DuckDB (scripts/servers/httpfs-extension.ts).
import { ensureHttpfs } from './servers/httpfs-extension.ts';

const path = await ensureHttpfs((line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${path}\n`);
