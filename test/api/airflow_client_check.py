"""Drives Sparkify's API server with Apache Airflow's own Python client (PyPI apache-airflow-client), as a user of
Airflow would: log in, list the DAGs, unpause one, trigger a run with a logical date and conf, wait for it to end, read
its task instances and a log. Prints one JSON summary line on stdout for test/api/python-client.test.ts to check.

Usage: python airflow_client_check.py BASE_URL USERNAME DAG_ID   (the password on stdin: never on a command line)
"""
import json
import sys
import time
import urllib.request
from datetime import datetime, timezone

import airflow_client.client as client
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.dag_run_api import DagRunApi
from airflow_client.client.api.task_instance_api import TaskInstanceApi
from airflow_client.client.api.version_api import VersionApi
from airflow_client.client.models.dag_patch_body import DAGPatchBody
from airflow_client.client.models.trigger_dag_run_post_body import TriggerDAGRunPostBody


def login(base_url: str, username: str, password: str) -> str:
    # Airflow 3's login (its auth manager's endpoint, outside the generated client).
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base_url}/auth/token", data=body, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.load(response)["access_token"]


def main() -> None:
    base_url, username, dag_id = sys.argv[1], sys.argv[2], sys.argv[3]
    password = sys.stdin.readline().rstrip("\n")
    configuration = client.Configuration(host=base_url, access_token=login(base_url, username, password))
    with client.ApiClient(configuration) as api:
        dags = DAGApi(api).get_dags(limit=100)
        listed = sorted(d.dag_id for d in dags.dags)
        was_paused = next(d.is_paused for d in dags.dags if d.dag_id == dag_id)
        unpaused = DAGApi(api).patch_dag(dag_id, DAGPatchBody(is_paused=False))
        logical_date = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
        run = DagRunApi(api).trigger_dag_run(dag_id, TriggerDAGRunPostBody(logical_date=logical_date, conf={"greeting": "airflow client"}))
        deadline = time.monotonic() + 180
        state = run.state
        polls = 0
        while state not in ("success", "failed"):
            if time.monotonic() > deadline:
                raise SystemExit(f"run {run.dag_run_id} still {state} after 180 s")
            time.sleep(0.25)  # a client polling, as Airflow's own wait helpers do
            state = DagRunApi(api).get_dag_run(dag_id, run.dag_run_id).state
            polls += 1
        tis = TaskInstanceApi(api).get_task_instances(dag_id, run.dag_run_id)
        first = sorted(tis.task_instances, key=lambda ti: ti.task_id)[0]
        tries = TaskInstanceApi(api).get_task_instance_tries(dag_id, run.dag_run_id, first.task_id)
        log = TaskInstanceApi(api).get_log(dag_id, run.dag_run_id, first.task_id, first.try_number)
        events = [getattr(m, "event", m) for m in log.content.actual_instance]
        runs = DagRunApi(api).get_dag_runs(dag_id)
        print(json.dumps({
            "dags": listed,
            "was_paused": was_paused,
            "is_paused_after": unpaused.is_paused,
            "run_id": run.dag_run_id,
            "run_state": str(state.value if hasattr(state, "value") else state),
            "conf": run.conf,
            "polls": polls,
            "task_instances": {ti.task_id: [str(ti.state.value if ti.state else None), ti.try_number] for ti in tis.task_instances},
            "total_entries": tis.total_entries,
            "log_task": first.task_id,
            "tries": [[t.try_number, str(t.state.value if t.state else None), t.hostname is not None] for t in tries.task_instances],
            "log": events,
            "runs_listed": runs.total_entries,
            "version": VersionApi(api).get_version().version,
        }))


if __name__ == "__main__":
    main()
