-- Every dataset some task wrote: what the lineage view offers to trace.
SELECT DISTINCT name FROM orch_lineage WHERE direction = 'out' ORDER BY name
