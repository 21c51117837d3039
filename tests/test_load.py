"""A short load and fault run: five visitors for five seconds on two gunicorn workers over
loopback, one worker killed on the way; no request that another worker could serve fails."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import load, running_server, summarise, workers_of

ROOT = Path(__file__).resolve().parent.parent


def test_five_visitors_lose_nothing_when_a_worker_is_killed():
    with running_server("serve", "--workers", "2", cwd=ROOT) as (process, url):
        run = load(url, users=5, duration=5.0, arbiter=process.pid, kill=True)
        summary = summarise(run, users=5)
        workers = workers_of(process.pid)
    assert summary["errors"] == 0, summary["error_samples"]
    assert summary["killed_worker"] is not None
    assert summary["killed_worker"] not in workers and len(workers) == 2  # replaced
    assert summary["lost_with_killed_worker"] <= 1
    # Every kind of request was made, the page's recorded callback requests included.
    assert {"page", "layout", "dependencies", "render", "dates", "person", "tick"} <= set(
        summary["by_kind"]
    ), summary["by_kind"]
    assert summary["requests"] >= 50
