import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runReports, reportNames } from '../../../src/pipelines/warehouse/olap-reports.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { freshWarehouse, loadWarehouse, warehouseTargets } from '../../support/warehouse.ts';

type Row = Record<string, number | string | null>;
const sum = (rows: Row[], column: string) => rows.reduce((n, r) => n + Number(r[column]), 0);

for (const target of warehouseTargets) {
  describe(`OLAP reports on ${target}`, () => {
    test('each report answers what it claims, on the course sample', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      await loadWarehouse(engine, target, { songs: sample.songs, events: sample.logs, eventsFormat: sample.jsonPaths });
      const r = Object.fromEntries((await runReports(engine)).map((x) => [x.name, x.rows as Row[]]));
      assert.deepEqual(Object.keys(r), reportNames);

      // Roll-up: 30 days, their month, the year, the total — and each level adds up to the one above.
      const days = r.rollup?.filter((x) => x.day !== null) ?? [];
      assert.equal(days.length, 30);
      assert.deepEqual(r.rollup?.slice(-3), [
        { year: 2018, month: 11, day: null, plays: 6820, users: 96 },
        { year: 2018, month: null, day: null, plays: 6820, users: 96 },
        { year: null, month: null, day: null, plays: 6820, users: 96 },
      ]);
      assert.equal(sum(days, 'plays'), 6820);

      // Drill-down: the busiest day (the 15th, 479 plays), hour by hour; paid + free = plays.
      const hours = r['drill-down'] ?? [];
      assert.ok(hours.every((x) => x.year === 2018 && x.month === 11 && x.day === 15));
      assert.equal(sum(hours, 'plays'), 479);
      assert.ok(hours.every((x) => Number(x.paid) + Number(x.free) === x.plays));
      assert.equal(days.find((x) => x.day === 15)?.plays, 479);

      // Slice: paid plays by weekday add up to the paid total of the grouping sets.
      const paidTotal = r['grouping-sets']?.find((x) => x.level === 'paid' && x.all_genders === 1)?.plays;
      assert.equal(sum(r.slice ?? [], 'plays'), paidTotal);
      assert.deepEqual(r.slice?.map((x) => x.weekday), [0, 1, 2, 3, 4, 5, 6]);

      // Grouping sets: 4 (level, gender) cells + 2 levels + 2 genders + total; every set sums to 6820.
      const sets = r['grouping-sets'] ?? [];
      assert.equal(sets.length, 9);
      for (const [allLevels, allGenders] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        assert.equal(sum(sets.filter((x) => x.all_levels === allLevels && x.all_genders === allGenders), 'plays'), 6820);
      }

      // Cube: 2 levels × 2 genders × 7 weekdays, with every subtotal: (2+1)(2+1)(7+1) = 72 rows.
      const cube = r.cube ?? [];
      assert.equal(cube.length, 72);
      assert.deepEqual(cube.at(-1), { level: null, gender: null, weekday: null, all_levels: 1, all_genders: 1, all_weekdays: 1, plays: 6820 });
      assert.equal(sum(cube.filter((x) => x.all_levels === 0 && x.all_genders === 0 && x.all_weekdays === 0), 'plays'), 6820);

      // Dice: only paid plays by women on weekday working hours, so no more than the paid women's plays.
      const paidWomen = sets.find((x) => x.level === 'paid' && x.gender === 'F')?.plays;
      assert.ok(sum(r.dice ?? [], 'plays') <= Number(paidWomen));
      assert.equal(r.dice?.length, 10);

      assert.deepEqual(r['top-songs'], [{ song: 'Setanta matins', artist: 'Elena', plays: 1 }]);
      assert.deepEqual(r['top-artists'], [{ artist: 'Elena', plays: 1, listeners: 1, songs: 1 }]);
      assert.equal(r['busiest-hours']?.length, 5);
      assert.ok((r['busiest-hours'] ?? []).every((x, i, all) => i === 0 || Number(all[i - 1]?.plays) >= Number(x.plays)));
    });
  });
}
