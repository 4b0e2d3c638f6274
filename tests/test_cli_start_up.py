"""Operator mistakes at start-up and on the command line: one line naming what to fix, a
non-zero exit, never a traceback, and nothing started (no scheduler) before the check."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import make_url

import bot.app
import jobs.scheduler
from bot.cli import main
from bot.runtime import Runtime
from bot.testing.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")


def one_line(err: str) -> str:
    """The whole of stderr: exactly one line, from socialbot, with no traceback."""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("socialbot: "), err
    return err.strip()


@pytest.fixture
def no_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if anything gets as far as building the scheduler."""

    def refuse(**_: object) -> None:
        raise AssertionError("the scheduler was started before start-up was checked")

    monkeypatch.setattr(jobs.scheduler, "build_scheduler", refuse)


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


# --- Slack tokens ----------------------------------------------------------------------------


def test_env_example_copied_as_is_names_the_placeholders(
    monkeypatch, tmp_path, capsys, no_scheduler
):
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    assert main(["serve"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "SLACK_BOT_TOKEN is invalid (still the placeholder from .env.example)" in line
    assert "Bot User OAuth Token" in line  # where to find the real one
    assert "SLACK_SIGNING_SECRET, SLACK_APP_TOKEN also invalid" in line


@pytest.mark.parametrize("name", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"])
def test_each_placeholder_is_refused_on_its_own(env, monkeypatch, capsys, no_scheduler, name):
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    monkeypatch.setenv(name, example[name])
    assert main(["serve"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"socialbot: {name} is invalid (still the placeholder")


def test_refused_app_token_stops_socket_mode_before_the_scheduler(
    env, monkeypatch, fake_slack: FakeSlack, capsys, no_scheduler
):
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0-revoked")
    fake_slack.fail("apps.connections.open", "invalid_auth")
    assert main(["serve"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "SLACK_APP_TOKEN was refused by Slack (apps.connections.open: invalid_auth)" in line
    assert "connections:write" in line and "xapp-1-A0-revoked" not in line


def test_refused_bot_token_stops_the_worker_before_the_scheduler(
    env, fake_slack: FakeSlack, capsys, no_scheduler
):
    fake_slack.fail("auth.test", "invalid_auth")
    assert main(["worker"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "SLACK_BOT_TOKEN was refused by Slack (auth.test: invalid_auth)" in line
    assert env["SLACK_BOT_TOKEN"] not in line
    assert [c.method for c in fake_slack.calls] == ["auth.test"]


def test_the_worker_checks_its_token_and_then_starts(
    env, monkeypatch, fake_slack: FakeSlack, capsys
):
    started: list[bool] = []

    class Scheduler:
        def start(self) -> None:
            started.append(True)

        def shutdown(self, wait: bool) -> None:
            pass

    monkeypatch.setattr(jobs.scheduler, "build_scheduler", lambda **_: Scheduler())
    assert main(["worker"]) == 0
    assert started == [True]
    assert [c.method for c in fake_slack.calls] == ["auth.test"]


def test_unreachable_slack_at_start_up_is_one_line(
    env, monkeypatch, capsys, closed_port, no_scheduler
):
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{closed_port}/api/")
    assert main(["serve"]) == 2
    line = one_line(capsys.readouterr().err)
    assert (
        f"Slack could not be reached at SLACK_API_URL http://127.0.0.1:{closed_port}/api/" in line
    )
    assert "unset SLACK_API_URL" in line


# --- the port --------------------------------------------------------------------------------


def test_port_in_use_names_port_before_the_scheduler_starts(
    env, monkeypatch, capsys, busy_port, no_scheduler
):
    monkeypatch.setenv("PORT", str(busy_port))
    assert main(["serve", "--host", "127.0.0.1"]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"PORT {busy_port} is already in use on 127.0.0.1" in line
    assert "set PORT to a free port" in line


# --- the database ----------------------------------------------------------------------------


def test_sqlite_path_that_is_a_folder(env, monkeypatch, tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder}")
    assert main(["org", "load", "org.toml"]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"DATABASE_URL: the SQLite path {folder} is a folder, not a file" in line
    assert f"sqlite:///{folder / 'socialbot.db'}" in line


def test_unresolvable_database_host_without_the_password(env, monkeypatch, capsys, no_scheduler):
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:hunter2@db.nowhere.invalid/socialbot")
    assert main(["serve"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "DATABASE_URL: the host 'db.nowhere.invalid' could not be resolved" in line
    assert "hunter2" not in line


def test_missing_postgresql_database(env, monkeypatch, capsys, database_url, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    missing = make_url(database_url).set(database="socialbot_no_such_db")
    monkeypatch.setenv("DATABASE_URL", missing.render_as_string(hide_password=False))
    assert main(["jobs", "run", "home"]) == 2
    line = one_line(capsys.readouterr().err)
    assert (
        "has no database 'socialbot_no_such_db': create it (createdb socialbot_no_such_db)" in line
    )


def test_nothing_answering_at_the_database_port(env, monkeypatch, capsys, closed_port):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://bot@127.0.0.1:{closed_port}/socialbot")
    assert main(["jobs", "run", "home"]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"nothing answers at 127.0.0.1:{closed_port}: start PostgreSQL" in line


# --- jobs run --------------------------------------------------------------------------------


def test_jobs_run_with_slack_unreachable_is_one_line(
    env, org: Runtime, monkeypatch, capsys, closed_port
):
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{closed_port}/api/")
    assert main(["jobs", "run", "reminders", "--at", "2027-01-05T09:00:00+00:00"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "Slack could not be reached at SLACK_API_URL" in line


def test_jobs_run_when_slack_goes_away_mid_run(env, org: Runtime, monkeypatch, capsys, closed_port):
    gone = WebClient(token="xoxb-1-test", base_url=f"http://127.0.0.1:{closed_port}/api/")
    monkeypatch.setattr(bot.app, "make_client", lambda _settings: gone)
    code = main(["jobs", "run", "reminders", "--at", "2027-01-05T09:00:00+00:00"])
    line = one_line(capsys.readouterr().err)  # not the SDK's error lines, nor the job's log
    assert code == 2
    assert line.startswith("socialbot: reminders stopped: Slack could not be")
    assert "run it again once Slack answers" in line
    # Only at the command line, and only for that run: the SDK's logger is as it was.
    assert logging.getLogger("slack_sdk").level < logging.CRITICAL


def test_jobs_run_unknown_job_checks_nothing_else(env, org: Runtime, fake_slack, capsys):
    assert main(["jobs", "run", "reminderz"]) == 2
    assert "no job is called 'reminderz'" in one_line(capsys.readouterr().err)
    assert fake_slack.calls == []


# --- manifest --http-url -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "'not a url' is not a URL"),
        ("bot.example.org", "'bot.example.org' has no scheme: write https://bot.example.org"),
        ("", "is empty"),
        ("http://bot.example.org", "uses http: Slack only posts to https URLs"),
        ("ftp://bot.example.org", "is not a web address"),
        ("javascript:alert(1)", "'javascript:alert(1)' is not a web address"),
        ("localhost:3000", "has no scheme: write https://localhost:3000"),
        ("https://bot", "has no domain"),
        ("https://bot.example.org:99999", "has an invalid port"),
        ("https://bot.example.org/?x=1", "carries a query or fragment"),
    ],
)
def test_manifest_refuses_a_bad_http_url(capsys, url, expected):
    assert main(["manifest", "--http-url", url]) == 2
    captured = capsys.readouterr()
    line = one_line(captured.err)
    assert line.startswith("socialbot: --http-url ") and expected in line
    assert captured.out == ""


def test_manifest_never_echoes_a_login(capsys):
    assert main(["manifest", "--http-url", "https://me:hunter2@bot.example.org"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "carries a login" in line and "hunter2" not in line


@pytest.mark.parametrize(
    ("url", "events"),
    [
        ("https://bot.example.org", "https://bot.example.org/slack/events"),
        ("https://bot.example.org/", "https://bot.example.org/slack/events"),
        ("https://bot.example.org/slack/events", "https://bot.example.org/slack/events"),
        ("https://bot.example.org/slack/events/", "https://bot.example.org/slack/events"),
        ("https://example.org/socialbot", "https://example.org/socialbot/slack/events"),
        ("http://localhost:3000", "http://localhost:3000/slack/events"),
        ("http://127.0.0.1:3000/", "http://127.0.0.1:3000/slack/events"),
    ],
)
def test_manifest_points_at_one_events_url_never_doubled(capsys, url, events):
    assert main(["manifest", "--http-url", url]) == 0
    manifest = json.loads(capsys.readouterr().out)
    settings = manifest["settings"]
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert urls == {events}


# --- schedule generate --year ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("27", "27 is not a year from 2000 to 2100"),
        ("1999", "1999 is not a year from 2000 to 2100"),
        ("20270", "20270 is not a year"),
        ("next", "'next' is not a year"),
    ],
)
def test_schedule_generate_refuses_a_year_out_of_range(env, org: Runtime, capsys, year, expected):
    with pytest.raises(SystemExit) as exited:
        main(["schedule", "generate", "--year", year])
    assert exited.value.code == 2
    line = one_line(capsys.readouterr().err)
    assert expected in line and "--year" in line
    with org.session() as session:
        from sqlmodel import select

        from storage.models import Slot

        assert len(session.exec(select(Slot)).all()) == 5  # the fixture's only


# --- found by trying harder: still one line each -------------------------------------------


def test_an_env_file_that_is_not_utf8_is_one_line(monkeypatch, tmp_path, capsys):
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes("SLACK_BOT_TOKEN=xoxb-caf\xe9\n".encode("latin-1"))
    assert main(["jobs", "run", "reminders"]) == 2
    assert ".env is not UTF-8 text" in one_line(capsys.readouterr().err)


def test_an_env_file_line_dotenv_cannot_read_is_one_line(monkeypatch, tmp_path, capsys):
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text('LOG_LEVEL=INFO\nSLACK_BOT_TOKEN="xoxb-1-secret\n')
    assert main(["jobs", "run", "reminders"]) == 2
    line = one_line(capsys.readouterr().err)
    assert ".env line 2 could not be read (an unclosed quote" in line
    assert "secret" not in line


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-1-abc…"),  # an ellipsis copied along with it
        ("SLACK_BOT_TOKEN", "xoxb-1-abc def"),
        ("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5\u200b"),
    ],
)
def test_a_token_with_a_character_no_token_has_is_one_line(
    env, monkeypatch, capsys, no_scheduler, name, value
):
    monkeypatch.setenv(name, value)
    assert main(["worker"]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"{name} is invalid (has a character no Slack token or secret has" in line
    assert value not in line


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:abc/", "http://a b/api/", "http://[::1", "https:///api/"]
)
def test_a_malformed_slack_api_url_is_one_line(env, monkeypatch, capsys, no_scheduler, url):
    monkeypatch.setenv("SLACK_API_URL", url)
    assert main(["worker"]) == 2
    assert "SLACK_API_URL is invalid" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg2://bot@127.0.0.1/socialbot", "driver psycopg2"),
        ("sqlite://", "names no SQLite file"),
        ("sqlite:///:memory:", "names no SQLite file"),
    ],
)
def test_database_urls_that_would_fail_later_are_one_line(
    env, monkeypatch, capsys, url: str, says: str
):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["org", "load", "organisation.toml"]) == 2
    assert says in one_line(capsys.readouterr().err)


def test_a_file_that_is_not_a_database_is_one_line(env, monkeypatch, tmp_path, capsys):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"These are my notes, not a database.\n" * 200)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{junk}")
    assert main(["org", "load", "organisation.toml"]) == 2
    assert f"the file {junk} is not a SQLite database" in one_line(capsys.readouterr().err)


def test_a_database_from_a_newer_version_is_one_line(env, runtime: Runtime, capsys):
    from sqlalchemy import text

    with runtime.engine.begin() as connection:
        ours = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = 'deadbeef0001'"))
    try:
        assert main(["org", "load", "organisation.toml"]) == 2
        assert "migrated by a newer version of socialbot" in one_line(capsys.readouterr().err)
    finally:  # on PostgreSQL the database outlives the test
        with runtime.engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :ours"), {"ours": ours}
            )


def test_database_refusals_during_work_are_one_line():
    """What the database may refuse after start-up, explained (the CLI prints it as one line)."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from storage.db import explain

    sqlite = make_url("sqlite:////srv/socialbot/socialbot.db")
    for detail, says in [
        ("attempt to write a readonly database", "is read-only for this user"),
        ("database is locked", "stayed locked by another process"),
    ]:
        exc = OperationalError("UPDATE x", {}, sqlite3.OperationalError(detail))
        assert says in explain(sqlite, exc)
    postgres = make_url("postgresql+psycopg://reader@db:5432/socialbot")
    exc = OperationalError("INSERT", {}, Exception("permission denied for table slot"))
    assert "refused user 'reader' a change (permission denied for table slot)" in explain(
        postgres, exc
    )


def test_a_job_run_before_org_load_is_one_line(env, fake_slack: FakeSlack, capsys):
    assert main(["jobs", "run", "reminders", "--at", "2027-01-05T09:00:00+00:00"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "reminders did nothing: no organisation is loaded yet" in line
    assert "org load" in line


@pytest.mark.parametrize(
    "argv",
    [
        ["calendar", "export", "--out", "calendars"],
        ["report", "build", "--month", "2026-11", "--out", "report"],
    ],
)
def test_an_export_before_org_load_is_one_line(env, tmp_path, capsys, argv: list[str]):
    assert main(argv) == 2
    line = one_line(capsys.readouterr().err)
    assert "no organisation is loaded yet: run `python -m bot org load PATH` first" in line
    assert not (tmp_path / argv[-1]).exists()  # no empty calendars, no report of nobody


@pytest.mark.parametrize(
    ("month", "says"),
    [
        ("9999-12", "'9999-12' is not in a year from 2000 to 2100: check the year"),
        ("0001-01", "'0001-01' is not in a year from 2000 to 2100"),
        ("2026-13", "'2026-13' is not a month like 2027-01"),
    ],
)
def test_report_build_names_a_month_out_of_range(capsys, month: str, says: str):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "build", "--month", month, "--out", "report"])
    assert exit_.value.code == 2
    assert says in one_line(capsys.readouterr().err)


def test_an_output_folder_that_is_a_file_is_one_line(env, org: Runtime, tmp_path, capsys):
    taken = tmp_path / "calendars"
    taken.write_text("a file, not a folder")
    assert main(["calendar", "export", "--out", str(taken)]) == 2
    assert f"{taken}: File exists" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("host", ["999.1.1.1", ""])
def test_a_host_that_is_no_address_is_one_line(env, capsys, no_scheduler, host: str):
    assert main(["serve", "--host", host]) == 2
    assert "--host" in one_line(capsys.readouterr().err)


def test_ctrl_c_is_one_line(env, org: Runtime, monkeypatch, capsys):
    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("bot.cli._org_load", interrupted)
    assert main(["org", "load", "organisation.toml"]) == 130
    assert "interrupted: what was not finished was rolled back" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("at", ["9999-12-31T23:00", "0001-01-01T00:00", "2207-01-05T09:00"])
def test_a_job_run_at_an_impossible_year_is_refused(env, org: Runtime, capsys, at: str):
    with pytest.raises(SystemExit) as exit_:
        main(["jobs", "run", "escalations", "--at", at])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "is not in a year from 2000 to 2100" in err and "Traceback" not in err


def test_the_worker_and_jobs_need_no_signing_secret(env, org: Runtime, monkeypatch, capsys):
    """Only `serve` receives Slack's requests; a worker only calls Slack."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    assert main(["jobs", "run", "escalations", "--at", "2027-01-05T13:05:00+00:00"]) == 0
    assert capsys.readouterr().out.startswith("escalations: ")
    assert main(["serve"]) == 2
    assert "SLACK_SIGNING_SECRET is not set" in one_line(capsys.readouterr().err)


def test_metrics_import_of_a_folder_says_so(env, org: Runtime, tmp_path, capsys):
    assert main(["metrics", "import", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert f"{tmp_path}: is a folder, not an export file; nothing was imported" in err
    assert "Traceback" not in err
