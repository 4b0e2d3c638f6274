"""Unit tests without Slack or a database: URL keys, the engagement rate, cells, ids,
format detection, the import permission and the organisation file's [goals]."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.analytics import cells
from bot.analytics.detect import NotAnExport, detect
from bot.analytics.linkedin_page import urn_time
from bot.analytics.measures import engagement_rate, interactions
from bot.analytics.records import CellError, Where
from bot.analytics.rules import Refusal, decide_import
from bot.analytics.tables import open_workbook
from bot.analytics.urls import handle_in_url, linkedin_id, post_key
from bot.analytics.x import snowflake_time
from bot.organisation.platforms import Platform, parse_account_ref
from bot.organisation.roles import Roles
from bot.organisation.spec import OrganisationFileError, parse_organisation
from tests import analytics_files as files
from tests.conftest import DATA

EXPORTS = DATA / "analytics"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "https://twitter.com/Acme_CEO/status/2127794852459446273",
            "https://x.com/acme_ceo/status/2127794852459446273?s=20&t=abc",
        ),
        (
            "https://mobile.twitter.com/acme_ceo/status/2127794852459446273/",
            "x.com/i/web/status/2127794852459446273",
        ),
        (
            "https://www.linkedin.com/feed/update/urn:li:activity:7533839882649600011/",
            "https://www.linkedin.com/feed/update/urn:li:share:7533839882649600011?utm_source=x",
        ),
        (
            "https://www.linkedin.com/posts/acme_tips-activity-7533839882649600011-AbCd",
            "https://linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7533839882649600011",
        ),
        (
            "https://www.instagram.com/p/DAbCdEf123/?igsh=xyz",
            "https://instagram.com/acme.research/p/DAbCdEf123",
        ),
        (
            "https://www.facebook.com/acme/posts/pfbid02abc/",
            "https://m.facebook.com/acme/posts/pfbid02abc?utm_medium=social&fbclid=1",
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        ),
    ],
)
def test_urls_of_the_same_post_share_a_key(one, other):
    assert post_key(one) == post_key(other) is not None


def test_urls_of_different_posts_differ():
    assert post_key("https://x.com/a/status/123456") != post_key("https://x.com/a/status/123457")
    assert post_key("https://www.instagram.com/p/AbCdE1/") != post_key(
        "https://www.instagram.com/p/abcde1/"
    )  # shortcodes are case-sensitive
    assert post_key("https://mastodon.social/@acme/1") == "mastodon.social/@acme/1"


@pytest.mark.parametrize(
    "junk", ["", "not a url", "javascript:alert(1)", "mailto:a@b.c", "ftp://x.io/a"]
)
def test_what_is_not_a_web_link_has_no_key(junk):
    assert post_key(junk) is None


def test_handles_and_ids_in_urls():
    assert handle_in_url("https://x.com/acme_ceo/status/2127794852459446273") == "acme_ceo"
    assert handle_in_url("https://twitter.com/i/web/status/2127794852459446273") is None
    assert handle_in_url("https://www.facebook.com/acme/posts/pfbid0") == "acme"
    assert handle_in_url("https://www.facebook.com/reel/998877") is None
    assert linkedin_id("urn:li:ugcPost:7533839882649600011") == "7533839882649600011"


def test_engagement_rate_is_interactions_over_impressions():
    assert interactions(40, 5, 3, None) == 48
    assert interactions(None, None, None, None) is None
    assert engagement_rate(48, 1200) == pytest.approx(0.04)
    assert engagement_rate(48, 0) is None
    assert engagement_rate(None, 100) is None
    assert engagement_rate(5, None) is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", 12), ("1,234", 1234), ("1777.0", 1777), (1777.0, 1777), (5, 5), ("", None),
     ("-", None), (None, None), (" 7 ", 7), ("1\u00a0234", 1234)],
)  # fmt: skip
def test_counts(raw, value):
    assert cells.count(raw) == value


@pytest.mark.parametrize("raw", ["12.5", "abc", "-3", True, "1e30", "²"])
def test_bad_counts(raw):
    with pytest.raises(CellError):
        cells.count(raw)


def test_dates_and_times():
    assert cells.mdy("12/1/2026") == date(2026, 12, 1)
    assert cells.mdy(datetime(2026, 12, 1, 0, 0)) == date(2026, 12, 1)
    assert cells.mdy_hm("01/05/2027 09:30") == datetime(2027, 1, 5, 9, 30)
    for bad in ("2026-12-01", "13/01/2026", "12/1/26"):
        with pytest.raises(CellError):
            cells.mdy(bad)
    with pytest.raises(CellError):
        cells.mdy_hm("01/05/2027 25:00")
    assert cells.text("a\x00b ") == "ab"


def test_ids_carry_their_creation_time():
    assert snowflake_time("2127794852459446273") == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert urn_time(files.PAGE_POST_1) == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    for bad in ("12", "abc", "9" * 25):
        with pytest.raises(CellError):
            snowflake_time(bad)


def test_where_reads_like_a_spreadsheet():
    assert str(Where("All posts", 7, "Impressions")) == "All posts, row 7, column Impressions"
    assert str(Where("", 3, "Reach")) == "row 3, column Reach"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("meta_facebook.csv", "meta_facebook"),
        ("meta_facebook_older.csv", "meta_facebook"),
        ("meta_instagram.csv", "meta_instagram"),
        ("account_analytics_content_2026-12-01_2026-12-31.csv", "x_content"),
        ("tweet_activity_metrics_acme_ceo_20261201_20261231_en.csv", "x_tweet_activity"),
        ("generic.csv", "generic"),
    ],
)
def test_csv_formats_are_told_by_their_headers(name, key, tmp_path):
    copy = tmp_path / "renamed.txt"  # the name says nothing
    copy.write_bytes((EXPORTS / name).read_bytes())
    book = open_workbook(copy)
    try:
        assert detect(book).key == key
    finally:
        book.close()


def test_workbook_formats_are_told_by_their_sheets(tmp_path):
    cases = [
        (files.page_content_sheets(), "linkedin_page_content"),
        (files.followers_sheets(), "linkedin_page_followers"),
        (files.creator_sheets(), "linkedin_creator"),
    ]
    for sheets, key in cases:
        for writer, suffix in ((files.write_xlsx, "xlsx"), (files.write_xls, "xls")):
            book = open_workbook(writer(tmp_path / f"f.{suffix}", sheets))
            try:
                assert detect(book).key == key
            finally:
                book.close()
    creator = files.creator_sheets()
    del creator["ENGAGEMENT"]
    book = open_workbook(files.write_xlsx(tmp_path / "c.xlsx", creator))
    with pytest.raises(NotAnExport, match="creator analytics export, but sheet 'ENGAGEMENT'"):
        detect(book)
    book.close()


def test_only_overall_and_department_coordinators_may_import():
    def roles(**kw: object) -> Roles:
        values = {"overall": False, "coordinates": frozenset(), "contributes": frozenset()}
        return Roles(user_id="U1", **{**values, **kw})  # type: ignore[arg-type]

    assert decide_import(roles(overall=True)).ok
    assert decide_import(roles(coordinates=frozenset({1}))).ok
    for other in (roles(contributes=frozenset({1})), roles(backs_up=frozenset({1})), roles()):
        assert decide_import(other) == decide_import(roles()) and not decide_import(other).ok
    assert decide_import(roles()).reason is Refusal.NOT_A_COORDINATOR


def test_account_refs():
    assert parse_account_ref("LinkedIn:@Helena-Marsh") == (Platform.LINKEDIN, "Helena-Marsh")
    for bad in ("linkedin", "myspace:acme", "x:", ":acme"):
        assert parse_account_ref(bad) is None


ORG = (DATA / "organisation.toml").read_text()


def test_goals_parse():
    spec = parse_organisation(
        ORG + "\n[goals]\nengagement_rate = 0.02\nfollower_growth = 0.03\non_time = 0.9\n"
        '[[goals.accounts]]\naccount = "x:@ACME_CEO"\nimpressions = 40000\n'
    )
    assert spec.goals.engagement_rate == 0.02 and spec.goals.on_time == 0.9
    assert spec.goals.accounts[0].account == "x:ACME_CEO"
    assert spec.goals.accounts[0].impressions == 40000


GOAL = "[[goals.accounts]]\naccount = "


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "[goals]\nengagement_rate = 2\n",
            "engagement_rate: must be at most 1",
        ),
        ("[goals]\non_time = 0\n", "goals → on_time: must be more than 0"),
        ("[goals]\nreach_target = 5\n", "goals → reach_target: unknown key 'reach_target'"),
        (GOAL + '"linkedin:nobody"\n', "no account 'linkedin:nobody' in [[accounts]]"),
        (GOAL + '"myspace:acme"\n', "is not an account named platform:handle"),
        (GOAL + '"x:acme_ceo"\nimpressions = -1\n', "impressions: must be more than 0"),
        (GOAL + '"x:acme_ceo"\n' + GOAL + '"x:ACME_CEO"\n', "x:ACME_CEO already has goals"),
        (GOAL + '"x:acme_ceo"\nbogus = 1\n', "unknown key 'bogus'"),
    ],
)
def test_impossible_goals_are_refused_with_their_line(extra, message):
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(ORG + "\n" + extra)
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p for p in problems), problems
    assert all(p.startswith("line ") for p in problems), problems


def test_the_fixture_files_are_byte_faithful():
    facebook = (EXPORTS / "meta_facebook.csv").read_bytes()
    assert facebook.startswith(b"\xef\xbb\xbfPost ID,Page ID,Page name,")
    assert b'"New year, new tips.\nThread below' in facebook  # quoted, embedded newline
    assert b"\r\n" in facebook
    x_file = (EXPORTS / "account_analytics_content_2026-12-01_2026-12-31.csv").read_bytes()
    assert x_file.startswith(b"Post id,Date,") and b'"Tue, Dec 1, 2026"' in x_file
    activity = Path(EXPORTS / "tweet_activity_metrics_acme_ceo_20261201_20261231_en.csv")
    body = activity.read_text()
    assert body.splitlines()[1].startswith('"2127794852459446273","https://twitter.com/')
    assert '"2026-12-01 16:00 +0000","1777.0"' in body and '"-","-"' in body


def test_only_top_level_messages_with_files_are_export_drops():
    from handlers.payloads import MessageEvent

    base = {"channel": "D1", "channel_type": "im", "user": "U1", "ts": "2.0"}
    files_ = [{"id": "F1", "name": "a.csv"}]
    assert MessageEvent.model_validate(
        {**base, "subtype": "file_share", "files": files_}
    ).is_file_drop
    in_thread = MessageEvent.model_validate({**base, "thread_ts": "1.0", "files": files_})
    assert not in_thread.is_file_drop and in_thread.is_person_in_a_thread  # a draft, as before
    assert not MessageEvent.model_validate(base).is_file_drop
    from_bot = MessageEvent.model_validate({**base, "bot_id": "B1", "files": files_})
    assert not from_bot.is_file_drop
