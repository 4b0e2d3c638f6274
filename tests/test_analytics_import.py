"""Importing the platforms' exports through the CLI: every format, re-imports, overlapping
exports, account inference, links to slots, and every refusal (which changes nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from bot.cli import main
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from storage.models import Slot
from storage.models_analytics import Goal, MetricDay, MetricImport, MetricPost
from tests import analytics_files as files
from tests.conftest import DATA

EXPORTS = DATA / "analytics"
X_CONTENT = EXPORTS / "account_analytics_content_2026-12-01_2026-12-31.csv"
X_ACTIVITY = EXPORTS / "tweet_activity_metrics_acme_ceo_20261201_20261231_en.csv"


@pytest.fixture
def analytics_org(runtime: Runtime) -> Runtime:
    spec = parse_organisation((EXPORTS / "organisation.toml").read_text())
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


def _posts(runtime: Runtime) -> dict[str, MetricPost]:
    with runtime.session() as session:
        return {p.native_id: p for p in session.exec(select(MetricPost))}


def _days(runtime: Runtime) -> list[MetricDay]:
    with runtime.session() as session:
        return list(session.exec(select(MetricDay).order_by(MetricDay.day)))


def _count(runtime: Runtime, model: type) -> int:
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _import(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["metrics", "import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- Meta ---------------------------------------------------------------------------------------


def test_facebook_export_with_bom_newlines_and_blank_rows(env, analytics_org, capsys):
    code, out, err = _import(capsys, str(EXPORTS / "meta_facebook.csv"))
    assert code == 0, err
    assert "format: Meta Business Suite, Facebook posts" in out
    assert "account: facebook:acme" in out
    assert "posts: 3 new, 0 updated, 0 unchanged" in out
    assert "days of account metrics: 0" in out
    assert "dates: 2027-01-05 to 2027-01-08" in out
    assert "warning: 1 row(s) skipped: the platform left them with no Post ID (row 5)" in out
    posts = _posts(analytics_org)
    photo = posts["122100000000000001"]
    assert photo.text == "New year, new tips.\nThread below 👇"
    # Publish time is London local time; January is UTC+0.
    assert photo.published_at == datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
    assert (photo.impressions, photo.reach, photo.reactions, photo.comments, photo.shares) == (
        1200,
        900,
        40,
        5,
        3,
    )
    assert photo.clicks == 30 and photo.interactions == 48 and photo.format == "image"
    reel = posts["122100000000000002"]
    assert reel.format == "video" and reel.raw_type == "Reels"
    assert reel.text == "Behind the scenes"
    link = posts["122100000000000003"]
    assert link.reach is None  # left blank by Meta: unknown, not zero
    assert link.format == "link"


def test_older_meta_export_with_impressions_and_lower_case_headers_updates_totals(
    env, analytics_org, capsys
):
    code, out, err = _import(capsys, str(EXPORTS / "meta_facebook_older.csv"))
    assert code == 0, err
    assert "posts: 2 new, 0 updated, 0 unchanged" in out
    assert _posts(analytics_org)["122100000000000001"].impressions == 1000
    code, out, _ = _import(capsys, str(EXPORTS / "meta_facebook.csv"))
    assert "posts: 2 new, 1 updated, 0 unchanged" in out  # the later export's lifetime totals
    post = _posts(analytics_org)["122100000000000001"]
    assert (post.impressions, post.reactions, post.interactions) == (1200, 40, 48)
    assert _count(analytics_org, MetricPost) == 4


def test_summer_time_publish_times_are_converted_from_local(env, analytics_org, capsys, tmp_path):
    text = (EXPORTS / "meta_facebook.csv").read_text(encoding="utf-8")
    path = tmp_path / "summer.csv"
    path.write_text(text.replace("01/05/2027 09:30", "07/01/2026 09:30"), encoding="utf-8")
    assert _import(capsys, str(path))[0] == 0
    published = _posts(analytics_org)["122100000000000001"].published_at
    assert published == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)


def test_instagram_export(env, analytics_org, capsys):
    code, out, err = _import(capsys, str(EXPORTS / "meta_instagram.csv"))
    assert code == 0, err
    assert "account: instagram:acme.research" in out
    assert "posts: 2 new" in out
    reel = _posts(analytics_org)["18050000000000002"]
    assert (reel.impressions, reel.reactions, reel.shares, reel.saves, reel.follows) == (
        12000,
        600,
        80,
        120,
        15,
    )
    assert reel.interactions == 600 + 41 + 80 + 120
    assert reel.format == "video"
    assert _posts(analytics_org)["18050000000000001"].format == "carousel"


# --- X ------------------------------------------------------------------------------------------


def test_x_content_export_takes_the_time_from_the_snowflake(env, analytics_org, capsys):
    code, out, err = _import(capsys, str(X_CONTENT))
    assert code == 0, err
    assert "account: x:acme_ceo" in out and "posts: 2 new" in out
    post = _posts(analytics_org)["2127794852459446273"]
    assert post.published_at == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert (post.impressions, post.reactions, post.comments, post.shares, post.saves) == (
        1800,
        12,
        4,
        7,
        3,
    )
    assert post.engagements == 40 and post.clicks == 4 and post.follows == 2
    assert post.interactions == 12 + 4 + 7 + 3


def test_the_two_x_formats_are_one_post_each(env, analytics_org, capsys):
    code, out, err = _import(capsys, str(X_ACTIVITY))
    assert code == 0, err
    assert "format: X tweet activity (tweet_activity_metrics)" in out
    assert "posts: 2 new, 0 updated, 0 unchanged" in out
    activity = _posts(analytics_org)["2127794852459446273"]
    assert activity.impressions == 1777  # written "1777.0"
    assert activity.url == "https://twitter.com/acme_ceo/status/2127794852459446273"
    assert activity.sponsored is False  # promoted columns "-"
    code, out, _ = _import(capsys, str(X_CONTENT))
    assert "posts: 1 new, 1 updated, 0 unchanged" in out
    posts = _posts(analytics_org)
    assert len(posts) == 3
    merged = posts["2127794852459446273"]
    assert merged.impressions == 1800 and merged.saves == 3
    assert merged.url_key == "x:2127794852459446273"
    assert merged.sponsored is False  # kept: the newer format does not say
    code, out, _ = _import(capsys, str(X_CONTENT))
    assert "posts: 0 new, 0 updated, 2 unchanged" in out
    assert _count(analytics_org, MetricPost) == 3


# --- LinkedIn -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xls", "xlsx"])
def test_linkedin_page_content_export(env, analytics_org, capsys, tmp_path, kind):
    writer = files.write_xls if kind == "xls" else files.write_xlsx
    path = writer(tmp_path / f"acme_content_1767225600000.{kind}", files.page_content_sheets())
    code, out, err = _import(capsys, str(path))
    assert code == 0, err
    assert "format: LinkedIn Page content" in out
    assert "account: linkedin:acme" in out  # from LinkedIn's file name
    assert "posts: 3 new" in out and "days of account metrics: 2" in out
    posts = _posts(analytics_org)
    first = posts[files.PAGE_POST_1]
    assert first.published_at == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)  # from the URN
    assert (first.impressions, first.clicks, first.reactions, first.comments, first.shares) == (
        1520,
        40,
        55,
        6,
        4,
    )
    assert first.interactions == 65 and first.format == "image" and first.sponsored is False
    assert first.text == "Product tips for the new year\nPart 1"
    assert posts[files.PAGE_POST_2].sponsored is True
    assert posts[files.PAGE_POST_3].format == "document"
    days = _days(analytics_org)
    assert [(d.day.isoformat(), d.impressions, d.clicks, d.interactions) for d in days] == [
        ("2026-12-01", 900, 20, 35),
        ("2026-12-02", 1400, 45, 57),
    ]


def test_linkedin_followers_export_merges_into_the_same_days(env, analytics_org, capsys, tmp_path):
    content = files.write_xls(tmp_path / "acme_content_1.xls", files.page_content_sheets())
    followers = files.write_xls(tmp_path / "acme_followers_1.xls", files.followers_sheets())
    code, out, err = _import(capsys, str(content), str(followers))
    assert code == 0, err
    assert "format: LinkedIn Page followers" in out
    days = _days(analytics_org)
    assert [(d.day.day, d.impressions, d.followers_gained) for d in days] == [
        (1, 900, 5),
        (2, 1400, 8),
    ]


def test_linkedin_creator_export_merges_its_two_top_post_tables(
    env, analytics_org, capsys, tmp_path
):
    path = files.write_xlsx(
        tmp_path / "Content_2026-12-01_2026-12-31_HelenaMarsh.xlsx", files.creator_sheets()
    )
    code, out, err = _import(capsys, str(path))
    assert code == 0, err
    assert "account: linkedin:helena-marsh" in out
    assert "posts: 2 new" in out and "days of account metrics: 3" in out
    posts = _posts(analytics_org)
    one = posts[files.CREATOR_POST_1]
    assert (one.impressions, one.engagements, one.interactions) == (15400, 240, 240)
    assert one.published_at == datetime(2026, 12, 10, 7, 0, tzinfo=UTC)
    two = posts[files.CREATOR_POST_2]
    assert (two.impressions, two.engagements) == (9800, 310)
    days = {d.day.isoformat(): d for d in _days(analytics_org)}
    assert days["2026-12-01"].impressions == 1210 and days["2026-12-01"].followers_gained == 12
    assert days["2026-12-31"].followers == 4321
    code, out, _ = _import(capsys, str(path))
    assert "posts: 0 new, 0 updated, 2 unchanged" in out


# --- generic --------------------------------------------------------------------------------


def test_generic_csv_posts_and_days(env, analytics_org, capsys):
    code, out, err = _import(capsys, str(EXPORTS / "generic.csv"))
    assert code == 0, err
    assert "format: generic CSV" in out and "account: mastodon:acme" in out
    assert "posts: 1 new" in out and "days of account metrics: 2" in out
    [post] = _posts(analytics_org).values()
    assert post.published_at == datetime(2027, 1, 4, 14, 30, tzinfo=UTC)
    assert post.interactions == 25 and post.follows == 1 and post.format == "text"
    assert post.url_key == "mastodon.social/@acme/111222333444555666"
    days = _days(analytics_org)
    assert [(d.followers_gained, d.followers) for d in days] == [(6, 1200), (4, 1204)]


# --- links to slots and list ----------------------------------------------------------------


def test_posts_link_to_the_slot_published_at_the_same_url(env, analytics_org, capsys, tmp_path):
    with analytics_org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Customer story")).one()
        slot.published_url = "https://www.twitter.com/ACME_CEO/status/2127794852459446273/?s=20"
        slot.status = "published"
        session.add(slot)
        slot_id = slot.id
    _code, out, _ = _import(capsys, str(X_CONTENT))
    assert "linked to their slots: 1 post(s)" in out
    assert _posts(analytics_org)["2127794852459446273"].slot_id == slot_id


def test_metrics_list(env, analytics_org, capsys):
    _import(capsys, str(X_CONTENT))
    _import(capsys, str(EXPORTS / "generic.csv"))
    assert main(["metrics", "list"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert lines["x:acme_ceo"].split()[1:4] == ["2", "2026-12-01", "2026-12-03"]
    assert "account_analytics_content_2026-12-01_2026-12-31.csv" in lines["x:acme_ceo"]
    assert lines["mastodon:acme"].split()[1:4] == ["1", "2027-01-04", "2027-01-05"]
    assert lines["facebook:acme"].split()[1:] == ["0", "-", "-", "never"]


def test_goals_are_stored(env, analytics_org):
    with analytics_org.session() as session:
        goals = {(g.account_id is None, g.measure): g.target for g in session.exec(select(Goal))}
    assert goals == {
        (True, "engagement_rate"): 0.02,
        (True, "follower_growth"): 0.03,
        (True, "on_time"): 0.9,
        (False, "impressions"): 40000.0,
    }


# --- refusals: nothing changes --------------------------------------------------------------


def _refused(runtime: Runtime, capsys, *args: str) -> str:
    code, out, err = _import(capsys, *args)
    assert code == 1
    assert "Imported" not in out
    assert _count(runtime, MetricPost) == 0 and _count(runtime, MetricDay) == 0
    assert _count(runtime, MetricImport) == 0
    return err


def test_unknown_file_names_its_headers_and_the_known_formats(env, analytics_org, capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("when,what,how many\n2027-01-01,post,3\n")
    err = _refused(analytics_org, capsys, str(path))
    assert "Headers seen: 'when', 'what', 'how many'" in err
    assert "Meta Business Suite, Facebook posts" in err and "generic CSV" in err


def test_almost_known_file_names_the_missing_column(env, analytics_org, capsys, tmp_path):
    text = X_CONTENT.read_text().replace("Impressions,", "Impresions,", 1)
    path = tmp_path / "account_analytics_content.csv"
    path.write_text(text)
    err = _refused(analytics_org, capsys, str(path))
    assert "looks like a X post analytics (account_analytics_content) export" in err
    assert "'Impressions' is missing" in err


def test_missing_column_in_a_linkedin_sheet_is_named(env, analytics_org, capsys, tmp_path):
    sheets = files.page_content_sheets()
    sheets["All posts"][1] = [c for c in sheets["All posts"][1] if c != "Reposts"]
    path = files.write_xlsx(tmp_path / "acme_content_1.xlsx", sheets)
    err = _refused(analytics_org, capsys, str(path))
    assert "All posts, row 2: column 'Reposts' missing" in err


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_kept(
    env, analytics_org, capsys, tmp_path
):
    text = (EXPORTS / "meta_facebook.csv").read_text(encoding="utf-8")
    text = text.replace(",Lifetime,800,", ",Lifetime,lots,").replace("01/07/2027 17:05", "soon")
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    err = _refused(analytics_org, capsys, str(path))
    assert "bad.csv: 2 problem(s); nothing was imported" in err
    assert "row 3, column Publish time: 'soon' is not a time like 09/01/2026 14:30" in err
    assert "row 4, column Views: 'lots' is not a number" in err


def test_account_not_in_the_organisation_is_refused(env, analytics_org, capsys, tmp_path):
    text = X_CONTENT.read_text().replace("x.com/acme_ceo/", "x.com/someone_else/")
    path = tmp_path / "account_analytics_content.csv"
    path.write_text(text)
    err = _refused(analytics_org, capsys, str(path))
    assert "is for X account 'someone_else', which is not in the organisation file" in err
    assert "--account x:HANDLE (accounts: x:acme_ceo)" in err
    err = _refused(analytics_org, capsys, str(X_CONTENT), "--account", "x:nobody")
    assert "x:nobody is not an account in the organisation file" in err
    err = _refused(analytics_org, capsys, str(X_CONTENT), "--account", "linkedin:acme")
    assert "but linkedin:acme is a LinkedIn account" in err


def test_account_that_cannot_be_inferred_asks_for_account(env, analytics_org, capsys, tmp_path):
    path = files.write_xlsx(tmp_path / "export.xlsx", files.page_content_sheets())
    err = _refused(analytics_org, capsys, str(path))
    assert "cannot tell which LinkedIn account" in err and "--account linkedin:HANDLE" in err
    code, out, _ = _import(capsys, str(path), "--account", "LinkedIn:@ACME")
    assert code == 0 and "account: linkedin:acme" in out


def test_generic_rows_for_an_unknown_account_are_refused(env, analytics_org, capsys, tmp_path):
    text = (
        (EXPORTS / "generic.csv")
        .read_text()
        .replace("mastodon:acme,2027-01-05", "bluesky:x,2027-01-05")
    )
    path = tmp_path / "generic.csv"
    path.write_text(text)
    err = _refused(analytics_org, capsys, str(path))
    assert "row 4, column account: bluesky:x is not an account in the organisation file" in err


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "not a readable .xlsx"),
        ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "not a readable .xls"),
        ("latin1.csv", "Post id,Date\nCaf\xe9,1\n".encode("latin-1"), "not UTF-8"),
        ("empty.csv", b"", "it is empty"),
    ],
)
def test_corrupt_files_are_refused(env, analytics_org, capsys, tmp_path, name, content, why):
    path = tmp_path / name
    path.write_bytes(content)
    err = _refused(analytics_org, capsys, str(path))
    assert why in err


def test_one_bad_file_does_not_stop_the_others(env, analytics_org, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n")
    code, out, err = _import(capsys, str(bad), str(X_CONTENT))
    assert code == 1
    assert "bad.csv" in err and "Imported" in out
    assert _count(analytics_org, MetricPost) == 2


def test_no_organisation_yet(env, runtime, capsys):
    code, _, err = _import(capsys, str(X_CONTENT))
    assert code == 2 and "org load" in err


def test_a_missing_file(env, analytics_org, capsys, tmp_path):
    err = _refused(analytics_org, capsys, str(tmp_path / "nope.csv"))
    assert "no such file" in err
