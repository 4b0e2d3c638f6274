"""The operator's side of credential access: audit export, chain verification, key rotation."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.access import service
from bot.access.audit import AuditKind
from bot.access.vault import Vault, new_key
from bot.cli import main
from bot.config import Settings, load_settings
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from storage.models import AccessSecret
from tests.conftest import DATA

KEY = new_key()


@pytest.fixture
def settings(env, monkeypatch) -> Settings:
    monkeypatch.setenv("VAULT_KEYS", KEY)
    return load_settings()


def _log(runtime: Runtime, *details: str) -> None:
    for index, detail in enumerate(details):
        with runtime.session() as session:
            service.audit(
                session,
                now=runtime.now() + timedelta(minutes=index),
                kind=AuditKind.REQUESTED,
                actor="U0ALICE",
                account="linkedin:acme",
                request_id=index + 1,
                detail=detail,
            )


def test_verify_audit_passes_then_names_the_first_altered_row(env, runtime: Runtime, capsys):
    _log(runtime, "one", "two", "three")
    assert main(["access", "verify-audit"]) == 0
    assert "3 entries" in capsys.readouterr().out
    with runtime.engine.begin() as connection:
        connection.execute(text("UPDATE accessaudit SET detail = 'forged' WHERE seq = 2"))
    assert main(["access", "verify-audit"]) == 1
    assert "entry 2 was altered" in capsys.readouterr().err


def test_verify_audit_names_a_removed_row(env, runtime: Runtime, capsys):
    _log(runtime, "one", "two", "three")
    with runtime.engine.begin() as connection:
        connection.execute(text("DELETE FROM accessaudit WHERE seq = 2"))
    assert main(["access", "verify-audit"]) == 1
    assert "before 3 was removed" in capsys.readouterr().err


def test_verify_audit_names_an_inserted_row(env, runtime: Runtime, capsys):
    _log(runtime, "one", "two")
    with runtime.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accessaudit (seq, at, kind, actor, account, detail, prev_hash, hash) "
                "SELECT 3, at, kind, actor, account, detail, prev_hash, hash FROM accessaudit "
                "WHERE seq = 2"
            )
        )
    assert main(["access", "verify-audit"]) == 1
    assert "entry 3" in capsys.readouterr().err


def test_audit_csv_is_rfc_4180_and_spreadsheet_safe(env, runtime: Runtime, capsys):
    _log(
        runtime, '=HYPERLINK("http://evil")', "+1", "-1", "@SUM(A1)", "\tx", 'say "hi", ok\nline 2'
    )
    assert main(["access", "audit", "--csv", "--account", "linkedin:acme"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("seq,at,kind,actor,account,request,detail,hash\r\n")
    rows = list(csv.reader(io.StringIO(out)))
    details = [r[6] for r in rows[1:]]
    assert details[:5] == ['\'=HYPERLINK("http://evil")', "'+1", "'-1", "'@SUM(A1)", "'\tx"]
    assert details[5] == 'say "hi", ok\nline 2'
    assert main(["access", "audit", "--since", "2099-01-01"]) == 0
    assert "no audit entries" in capsys.readouterr().out


def test_audit_prints_times_in_the_organisations_timezone_and_csv_keeps_utc(
    env, runtime: Runtime, capsys
):
    spec = (DATA / "organisation.toml").read_text()
    new_york = spec.replace('timezone = "Europe/London"', 'timezone = "America/New_York"')
    assert new_york != spec
    with runtime.session() as session:
        load_organisation(session=session, spec=parse_organisation(new_york), now=runtime.now())
    _log(runtime, "one", "two")  # the fixture's clock: 2027-01-15 10:00 UTC, then 10:01
    assert main(["access", "audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:4] for line in lines] == [
        ["1", "2027-01-15", "05:00:00", "America/New_York"],
        ["2", "2027-01-15", "05:01:00", "America/New_York"],
    ]
    assert lines[0].endswith("requested       U0ALICE      linkedin:acme #1 one")
    assert "Z " not in "\n".join(lines) and "10:00" not in "\n".join(lines)
    assert main(["access", "audit", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[1] for r in rows[1:]] == ["2027-01-15T10:00:00+00:00", "2027-01-15T10:01:00+00:00"]


def test_audit_without_an_organisation_prints_utc_by_name(env, runtime: Runtime, capsys):
    _log(runtime, "one")
    assert main(["access", "audit"]) == 0
    assert capsys.readouterr().out.split()[:4] == ["1", "2027-01-15", "10:00:00", "UTC"]


def test_new_key_and_rotate_key(env, runtime: Runtime, monkeypatch, capsys):
    assert main(["vault", "new-key"]) == 0
    fresh = capsys.readouterr().out.strip()
    assert len(fresh) == 44
    from bot.access.vault import Secret

    with runtime.session() as session:
        from storage.models import Account

        account = Account(platform="linkedin", handle="acme", kind="organisation")
        session.add(account)
        session.flush()
        session.add(
            AccessSecret(
                account_id=account.id,
                ciphertext=Vault(KEY).seal(Secret("pw")),
                set_by="U0OVERALL",
                rotated_at=runtime.now(),
            )
        )
    monkeypatch.setenv("VAULT_KEYS", f"{fresh},{KEY}")
    assert main(["vault", "rotate-key"]) == 0
    assert "re-encrypted 1 secret(s)" in capsys.readouterr().out
    with runtime.session() as session:
        stored = session.exec(select(AccessSecret)).one()
    assert Vault(fresh).open(stored.ciphertext).password == "pw"
    monkeypatch.setenv("VAULT_KEYS", new_key())  # the old key dropped too early
    assert main(["vault", "rotate-key"]) == 2
    assert "Nothing was re-encrypted" in capsys.readouterr().err
