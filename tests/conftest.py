"""Fixtures: a database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL), the fake Slack
Web API, and the real app served over HTTP with request verification on.

`--frozen-at ISO` (or SOCIALBOT_TEST_NOW=ISO) freezes the wall clock there for every test, ticking,
and makes it the `reference_now` that date-sensitive tests (marked `dates`) build their scenarios
around. .ci/run runs `pytest -m dates` at a set of awkward dates this way."""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from bot.app import SocialApp, build_app, make_http_server, stop_http_server
from bot.config import Settings, load_settings
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from bot.testing.clock import FixedClock
from bot.testing.fake_slack import FakeSlack
from bot.testing.slack_requests import SlackRequests
from storage.db import make_engine
from storage.migrate import upgrade

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-test-token"
# A Friday in mid-January 2027, 10:00 in London: "today" for the fixture data (tests/data).
NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
FROZEN_AT_ENV = "SOCIALBOT_TEST_NOW"


# --- databases -------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--database-url", default=None, help="overrides TEST_DATABASE_URL")
    parser.addoption(
        "--frozen-at",
        default=None,
        help=f"ISO instant (UTC unless an offset is given) to freeze the wall clock at and to use "
        f"as the tests' reference now; overrides {FROZEN_AT_ENV}",
    )


def _frozen_at(config: pytest.Config) -> datetime | None:
    import os

    text = config.getoption("--frozen-at") or os.environ.get(FROZEN_AT_ENV)
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def pytest_report_header(config: pytest.Config) -> str | None:
    frozen = _frozen_at(config)
    return f"wall clock frozen at {frozen.isoformat()} (ticking)" if frozen else None


@pytest.fixture(scope="session")
def frozen_at(request: pytest.FixtureRequest) -> datetime | None:
    return _frozen_at(request.config)


@pytest.fixture(autouse=True)
def _wall_clock(frozen_at: datetime | None) -> Iterator[None]:
    """With --frozen-at, the wall clock starts there for each test and moves at real speed
    (servers, threads and waits with timeouts keep working)."""
    if frozen_at is None:
        yield
        return
    from freezegun import freeze_time

    with freeze_time(frozen_at, tick=True):
        yield


@pytest.fixture
def reference_now(frozen_at: datetime | None) -> datetime:
    """The moment date-sensitive scenarios are built around: the frozen date, or NOW."""
    return frozen_at or NOW


@pytest.fixture(scope="session")
def _database_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Migrate once per session: a SQLite file to copy, or a fresh PostgreSQL database."""
    import os

    base = request.config.getoption("--database-url") or os.environ.get("TEST_DATABASE_URL")
    if not base:
        path = tmp_path_factory.mktemp("db") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield f"sqlite:///{path}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"socialbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    upgrade(engine)
    engine.dispose()
    yield test_url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(_database_template: str, tmp_path: Path) -> Iterator[str]:
    if _database_template.startswith("sqlite"):
        path = tmp_path / "socialbot.db"
        shutil.copy(make_url(_database_template).database or "", path)
        yield f"sqlite:///{path}"
        return
    yield _database_template
    engine = create_engine(_database_template)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


# --- the app and Slack -----------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack
        # One choke point for every test: nothing anyone typed ever reaches Slack live.
        assert slack.broadcasts() == [], "user input reached Slack as live markup"


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> dict[str, str]:
    """The environment an operator would set, pointed at the fake Slack and the test database."""
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
    }
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    return load_settings()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def runtime(settings: Settings, clock: FixedClock) -> Iterator[Runtime]:
    engine: Engine = make_engine(settings.database_url)
    upgrade(engine)
    yield Runtime(settings=settings, engine=engine, clock=clock)
    engine.dispose()


@pytest.fixture
def org(runtime: Runtime) -> Runtime:
    """The test organisation and its January schedule, loaded."""
    spec = parse_organisation((DATA / "organisation.toml").read_text())
    with runtime.session() as session:
        load_organisation(session=session, spec=spec, now=runtime.now())
    with runtime.session() as session:
        import_schedule(
            session=session,
            text=(DATA / "schedule.csv").read_text(),
            source="schedule.csv",
            now=runtime.now(),
        )
    return runtime


@dataclass
class Served:
    url: str
    slack: SlackRequests
    fake: FakeSlack
    runtime: Runtime
    app: SocialApp

    def idle(self) -> None:
        """Wait until every listener's work so far has finished: for asserting that a request
        changed or sent nothing."""
        assert self.app.work_pool.wait_idle(), "listener work still running after 10 s"

    @property
    def clock(self) -> FixedClock:
        assert isinstance(self.runtime.clock, FixedClock)
        return self.runtime.clock


@pytest.fixture
def served(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Served]:
    """The real app on a free port in HTTP mode, verifying every request's signature."""
    app = build_app(runtime)
    server = make_http_server(app, runtime, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    host, port = server.socket.getsockname()[:2]
    url = f"http://{host}:{port}/slack/events"
    fake_slack.reset()
    yield Served(
        url=url,
        slack=SlackRequests(url, SIGNING_SECRET, response_base=fake_slack.base_url + "/response"),
        fake=fake_slack,
        runtime=runtime,
        app=app,
    )
    stop_http_server(server)
    app.work_pool.shutdown(wait=True)  # finish listener work while the fake Slack still answers
