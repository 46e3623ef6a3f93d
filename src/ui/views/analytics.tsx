import { useMemo } from 'react';
import { get } from '../api/client.ts';
import type { Analytics as Data } from '../api/types.ts';
import { BarChart, ColumnChart } from '../components/bar-chart.tsx';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { TimeChart } from '../components/time-chart.tsx';
import { useData } from '../use-data.ts';

/** All 24 hours, a quiet hour as 0: a gap in the axis would read as missing data. */
function allHours(rows: Data['playsByHour']): { label: string; value: number }[] {
  const plays = new Map(rows.map((r) => [r.hour, r.plays]));
  return Array.from({ length: 24 }, (_, hour) => ({ label: String(hour), value: plays.get(hour) ?? 0 }));
}

const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000;

/** The star schema the Sparkify DAG loads, drawn: when people listen, how many, free vs paid, what and where. */
export function Analytics() {
  const { data, error } = useData(() => get<Data>('/ui/analytics'), []);
  const series = useMemo(() => data && {
    daysX: data.dailyActiveUsers.map((r) => day(r.day)),
    users: [{ label: 'active users', color: '#1f77b4', values: data.dailyActiveUsers.map((r) => r.users) }],
    levelsX: data.levelsByDay.map((r) => day(r.day)),
    levels: [
      { label: 'free', color: '#9e9e9e', values: data.levelsByDay.map((r) => r.free) },
      { label: 'paid', color: '#2ca02c', values: data.levelsByDay.map((r) => r.paid) },
    ],
  }, [data]);
  if (data === undefined || series === undefined) return <><h1>Analytics</h1><ErrorLine error={error} /><Loading what="the warehouse" /></>;
  return (
    <section className="analytics">
      <h1>Analytics</h1>
      <p className="muted">From {data.warehouse}</p>
      <ErrorLine error={error} />
      <h2>Plays per hour of day (UTC)</h2>
      <ColumnChart testId="plays-by-hour" rows={allHours(data.playsByHour)} />
      <h2>Daily active users</h2>
      <TimeChart testId="daily-active-users" x={series.daysX} series={series.users} yLabel="users" />
      <h2>Plays by level, free vs paid</h2>
      <TimeChart testId="free-vs-paid" x={series.levelsX} series={series.levels} yLabel="plays" />
      <div className="two">
        <div>
          <h2>Top songs</h2>
          <BarChart testId="top-songs" rows={data.topSongs.map((r) => ({ label: `${r.song} — ${r.artist}`, value: r.plays }))} />
        </div>
        <div>
          <h2>Top artists</h2>
          <BarChart testId="top-artists" rows={data.topArtists.map((r) => ({ label: r.artist, value: r.plays }))} />
        </div>
      </div>
      <h2>Plays by user location</h2>
      <BarChart testId="plays-by-location" color="#ff7f0e" rows={data.playsByLocation.map((r) => ({ label: r.location, value: r.plays }))} />
    </section>
  );
}
