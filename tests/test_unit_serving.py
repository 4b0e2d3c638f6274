"""How `serve` and `worker` start: the mode follows SLACK_APP_TOKEN; jobs follow the org's clock."""

from __future__ import annotations

import bot.app
from bot.cli import main
from bot.runtime import Runtime
from jobs.registry import all_jobs
from jobs.scheduler import build_scheduler


def test_app_token_means_socket_mode(env, monkeypatch, fake_slack):
    started = []
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0-123-abc")
    monkeypatch.setattr(bot.app, "run_socket_mode", lambda app, settings: started.append(app))
    assert main(["serve", "--no-scheduler"]) == 0
    assert len(started) == 1


def test_scheduler_fires_every_job_in_the_organisation_timezone(org: Runtime, fake_slack):
    from bot.app import make_client

    scheduler = build_scheduler(runtime=org, client=make_client(org.settings), blocking=False)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(all_jobs())
    home = jobs["home"].trigger
    assert str(home.timezone) == "Europe/London"
    assert "hour='6'" in str(home)
