"""The newcomer's first command works with no Slack at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from bot.cli import main

pytestmark = pytest.mark.dates


def test_demo_prints_a_month_and_writes_its_files(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "30 slots added" in printed
    # Posts imported on their due day for Alice (New York) and Dev (Los Angeles), asleep until
    # after noon London: named in the import summary, their coordinators told in Slack.
    assert "2 post(s) too close to the due time" in printed
    assert "for U0ALICE (Marketing)" in printed and "for U0DEV (People & Culture)" in printed
    assert "(their coordinators have been told in Slack)" in printed
    assert printed.count("post too close to the due time for a reminder.") == 2
    assert "Olivia looks at the whole month" in printed
    assert "Times are in your timezone (America/New_York)" in printed  # Alice
    assert "You can only see the schedules of your own departments" in printed
    assert "Kenji (Research)'s Home tab" in printed
    assert "Reply *in this thread* with your draft" in printed
    assert "Draft v1 of *Customer story" in printed
    assert "1 post is late with no draft" in printed
    assert "socialbot → #marketing-review" in printed
    assert "approved *Customer story" in printed
    assert f"Files written to {out}" in printed
    files = {p.name for p in out.iterdir()}
    assert {"transcript.md", "slack-calls.json", "marketing.ics"} <= files
    assert any(name.startswith("schedule-") and name.endswith(".csv") for name in files)
    assert not (tmp_path / "data").exists()  # the demo's database is throwaway
    assert list(temp.iterdir()) == []  # and leaves nothing in the temp folder
