-- A sensor in reschedule mode ends its poke as up_for_reschedule and comes back later on the same try (Airflow keeps
-- try_number across reschedules). rescheduled_since is the first poke of that try, set when a poke asks to be
-- rescheduled and cleared when the try ends any other way (success, failure, retry) or the instance is cleared:
--   * the claim does not count a try while it is set (it reopens the try's orch_task_try row instead of adding one),
--     so a reschedule never uses up a retry;
--   * the runner hands it back to the next poke (TaskContext.rescheduledSince), so the sensor's timeout counts from
--     its first poke across reschedules, and survives a worker or scheduler restart, unlike anything kept in memory.
ALTER TABLE orch_task_instance ADD COLUMN rescheduled_since timestamptz;
