"""`schedule import` warns about new rows in the past or on blackout days, in the
organisation's time; `--strict` refuses them and imports nothing."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from sqlalchemy import func
from sqlmodel import select

from bot.cli import main
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from storage.models import Slot
from storage.repositories import organisation as org_repo
from tests.conftest import DATA, NOW

HEADER = "department,due,platform,topic,contributor\n"


@pytest.fixture
def loaded(env, runtime):
    with runtime.session() as session:
        load_organisation(
            session=session,
            spec=parse_organisation((DATA / "organisation.toml").read_text()),
            now=runtime.now(),
        )
        org_repo.replace_blackouts(
            session, source="calendar", days={NOW.date().replace(day=20): "Away day"}
        )
    return runtime


def _count(runtime) -> int:
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(Slot)).one()


def _csv(tmp_path, rows: str):
    path = tmp_path / "s.csv"
    path.write_text(HEADER + rows)
    return path


ROWS = (
    "Marketing,2027-01-10 09:30,linkedin,Already gone,U0ALICE\n"  # before NOW (15 Jan 2027)
    "Marketing,2027-01-20,linkedin,On the away day,U0ALICE\n"
    "Marketing,2027-01-22,linkedin,Fine,U0ALICE\n"
)


def test_warnings_name_the_row_and_the_time_in_the_organisations_timezone(loaded, tmp_path, capsys):
    with freeze_time(NOW, tick=True):
        assert main(["schedule", "import", str(_csv(tmp_path, ROWS))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("3 slots added, 0 updated (new contributor), 0 already there")
    assert "  warning: row 2, column due: due 2027-01-10 09:30 Europe/London, in the past" in out
    assert any(
        line.startswith("  warning: row 3, column due: due 2027-01-20 ")
        and line.endswith("Europe/London, on a blackout day")
        for line in out
    )
    assert not any("row 4" in line for line in out)
    assert _count(loaded) == 3
    # The same file again: nothing new, so nothing to warn about.
    with freeze_time(NOW, tick=True):
        assert main(["schedule", "import", str(_csv(tmp_path, ROWS))]) == 0
    assert "warning:" not in capsys.readouterr().out


def test_strict_refuses_them_and_imports_nothing(loaded, tmp_path, capsys):
    with freeze_time(NOW, tick=True):
        assert main(["schedule", "import", "--strict", str(_csv(tmp_path, ROWS))]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("2 problem(s) (--strict); nothing was imported:")
    assert err[1].startswith("  row 2, column due: due 2027-01-10 09:30 Europe/London")
    assert _count(loaded) == 0
    fine = "Marketing,2027-01-22,linkedin,Fine,U0ALICE\n"
    with freeze_time(NOW, tick=True):
        assert main(["schedule", "import", "--strict", str(_csv(tmp_path, fine))]) == 0
    assert _count(loaded) == 1
