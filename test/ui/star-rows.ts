import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SqlEngine } from '../../src/engines/engine.ts';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * A tiny star schema with known answers for the analytics page: 4 plays on 2 days (09:15, 09:45, 10:05, 21:30 UTC),
 * users 1 (paid from day 2) and 2 (free), 'Green Bar' by The Testers played 3 times, Lansing 3 plays, Portland 1.
 */
export const starRows = `
  INSERT INTO artists VALUES ('A1', 'The Testers', 'Lisbon', NULL, NULL), ('A2', 'Null Pointers', 'Oslo', NULL, NULL);
  INSERT INTO songs VALUES ('S1', 'Green Bar', 'A1', 2018, 200), ('S2', 'Flaky Blues', 'A2', 2018, 180);
  INSERT INTO users VALUES (1, 'Ada', 'L', 'F', 'paid', TIMESTAMP '2018-11-02 10:00:00'), (2, 'Bob', 'K', 'M', 'free', TIMESTAMP '2018-11-01 09:00:00');
  INSERT INTO songplays VALUES
    ('p1', TIMESTAMP '2018-11-01 09:15:00', 2, 'free', 'S1', 'A1', 10, 'Portland-South Portland, ME', 'ua'),
    ('p2', TIMESTAMP '2018-11-01 09:45:00', 1, 'free', 'S1', 'A1', 11, 'Lansing-East Lansing, MI', 'ua'),
    ('p3', TIMESTAMP '2018-11-02 10:05:00', 1, 'paid', 'S2', 'A2', 12, 'Lansing-East Lansing, MI', 'ua'),
    ('p4', TIMESTAMP '2018-11-02 21:30:00', 1, 'paid', 'S1', 'A1', 12, 'Lansing-East Lansing, MI', 'ua');
`;

/** The warehouse's own schema for `target`, then the rows above. */
export async function fillStar(engine: SqlEngine, target: 'duckdb' | 'postgres'): Promise<void> {
  await engine.exec(await readFile(join(root, 'src/pipelines/warehouse/sql', target, 'schema.sql'), 'utf8'));
  await engine.exec(starRows);
}
