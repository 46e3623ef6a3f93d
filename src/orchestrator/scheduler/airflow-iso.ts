/**
 * `t` as Python's `datetime.isoformat()` writes an aware UTC datetime, which is how Airflow prints logical dates in
 * run ids and templates: `2018-11-01T00:00:00+00:00`; fractions only when there are some, in microseconds
 * (`2018-11-01T00:00:00.250000+00:00`).
 */
export function airflowIso(t: Date): string {
  const ms = t.getTime();
  if (Number.isNaN(ms)) throw new RangeError('airflowIso: not a time');
  const iso = t.toISOString(); // 2018-11-01T00:00:00.000Z; years past 9999 are not Airflow's either
  const fraction = ms % 1000 === 0 ? '' : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 19)}${fraction}+00:00`;
}
