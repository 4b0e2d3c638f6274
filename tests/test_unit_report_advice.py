"""The advice engine: planted patterns are found and named; no pattern, or too little data,
and it claims nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from bot.report.advice import Advice, advise
from bot.report.figures import compute_figures
from bot.report.inputs import Goals, ReviewRecord, SlotRecord, Targets
from bot.report.stats import benjamini_hochberg, group_tests
from bot.testing.report_data import Plan, at, generate

CLAIMS = {"timing", "format", "giant", "giant_post", "goal", "slots", "reviews"}


def _advice(plan: Plan) -> list[Advice]:
    data = generate(plan)
    return list(advise(data, compute_figures(data)).lines)


def _kinds(lines: list[Advice]) -> set[str]:
    return {line.kind for line in lines}


def test_a_strong_weekday_is_named_with_its_figures() -> None:
    lines = _advice(Plan(weekday={"linkedin:acme": (1, 2.0)}))
    timing = [a for a in lines if a.kind == "timing"]
    assert timing, [a.text for a in lines]
    first = timing[0]
    assert first.figures["account"] == "linkedin:acme"
    assert first.figures["group"] == "Tuesday"
    assert "posts on Tuesday averaged" in first.text
    assert f"{first.figures['posts']} against {first.figures['posts_rest']} posts" in first.text
    assert not any(a.kind == "timing" and a.figures["account"] != "linkedin:acme" for a in lines)


def test_a_format_effect_within_one_account_is_named() -> None:
    lines = _advice(Plan(formats={"x:acme": ("video", 1.8)}))
    formats = [a for a in lines if a.kind == "format"]
    assert [(a.figures["account"], a.figures["group"]) for a in formats][:1] == [
        ("x:acme", "video")
    ]
    assert "Use more of them" in formats[0].text


def test_the_account_furthest_below_its_goal_is_named() -> None:
    goals = Goals(organisation=Targets(engagement_rate=0.02))
    lines = _advice(Plan(rates={"x:acme": 0.008}, goals=goals))
    goal = [a for a in lines if a.kind == "goal"]
    assert len(goal) == 1
    assert goal[0].figures["scope"] == "x:acme"
    assert goal[0].text.startswith("x:acme is furthest below a goal: engagement rate")
    assert "goal of 2.0%: missed by" in goal[0].text


def test_a_leader_with_far_more_reach_is_a_distribution_giant() -> None:
    lines = _advice(Plan(reach={"linkedin:helena-marsh": 6.0}))
    giants = [a for a in lines if a.kind == "giant"]
    assert [a.figures["account"] for a in giants] == ["linkedin:helena-marsh"]
    assert giants[0].figures["ratio"] > 3
    assert "the organisation's linkedin posts" in giants[0].text
    assert "reshare" in giants[0].text


def test_no_pattern_claims_nothing_and_says_so() -> None:
    lines = _advice(Plan())
    assert not _kinds(lines) & CLAIMS, [a.text for a in lines]
    nothing = [a for a in lines if a.kind == "nothing"]
    assert len(nothing) == 1
    assert "No weekday, hour band or format stands out" in nothing[0].text
    assert nothing[0].figures["comparisons"] > 20


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_pattern_claims_nothing_whatever_the_noise(seed: int) -> None:
    assert not _kinds(_advice(Plan(seed=seed))) & {"timing", "format", "giant"}


def test_tiny_samples_claim_nothing_even_with_a_big_planted_effect() -> None:
    plan = Plan(posts_per_day=0.1, days=90, weekday={"linkedin:acme": (6, 3.0)})
    lines = _advice(plan)
    assert not _kinds(lines) & CLAIMS, [a.text for a in lines]
    assert any(a.kind == "nothing" and a.text.startswith("Too few posts") for a in lines)


def test_a_big_looking_group_on_few_posts_says_it_is_not_enough() -> None:
    data = generate(Plan(seed=4))
    # Three very strong Sunday posts on an account otherwise posting on weekdays.
    posts = [p for p in data.posts if p.account != "linkedin:acme" or p.published_at.weekday() != 6]
    sundays = [
        p for p in data.posts if p.account == "linkedin:acme" and p.published_at.weekday() == 6
    ][-3:]
    posts += [replace(p, interactions=p.impressions * 4 // 25) for p in sundays if p.impressions]
    data = replace(data, posts=tuple(posts))
    lines = list(advise(data, compute_figures(data)).lines)
    caveats = [a for a in lines if a.kind == "caveat"]
    assert any(
        "posts on Sunday look strong" in a.text
        and "rest on 3 posts: not enough to act on" in a.text
        for a in caveats
    ), [a.text for a in lines]
    assert not any(a.kind == "timing" and a.figures.get("group") == "Sunday" for a in lines)


def test_the_same_data_gives_the_same_advice() -> None:
    plan = Plan(weekday={"linkedin:acme": (1, 1.6)}, formats={"x:acme": ("link", 0.6)})
    assert [a.text for a in _advice(plan)] == [a.text for a in _advice(plan)]


def test_late_and_missed_departments_and_slow_reviewers_are_named() -> None:
    jan = date(2027, 1, 4)
    slots = [SlotRecord("Research", at(jan + timedelta(days=i))) for i in range(3)]  # missed
    slots += [
        SlotRecord("Marketing", at(jan), published_at=at(jan, 18)),  # late
        SlotRecord("Marketing", at(jan), published_at=at(jan, 9)),  # on time
    ]
    reviews = [
        ReviewRecord(
            "Marketing", "U0FAST", at(jan + timedelta(days=i), 9), at(jan + timedelta(days=i), 11)
        )
        for i in range(10)
    ] + [
        ReviewRecord(
            "Research", "U0SLOW", at(jan + timedelta(days=i), 9), at(jan + timedelta(days=i + 2), 9)
        )
        for i in range(4)
    ]
    lines = _advice(Plan(slots=tuple(slots), reviews=tuple(reviews)))
    slot_lines = [a.text for a in lines if a.kind == "slots"]
    assert slot_lines == [
        "Research: 3 missed of 3 slots due in 2027-01. Check its contributors' load and reminders.",
        "Marketing: 1 late of 2 slots due in 2027-01. Check its contributors' load and reminders.",
    ]
    reviews_lines = [a for a in lines if a.kind == "reviews"]
    assert [a.figures["reviewer"] for a in reviews_lines] == ["U0SLOW"]
    assert "median 48.0 h" in reviews_lines[0].text and "14 reviews" in reviews_lines[0].text


def test_permutation_test_separates_real_differences_from_none() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(1, 0.2, 30), rng.normal(2, 0.2, 30)])
    labels = np.array([0] * 30 + [1] * 30)
    [tests] = group_tests(values, [(labels, [0, 1])], permutations=2000, rng=rng)
    assert all(t.p < 0.001 for t in tests)
    [same] = group_tests(np.ones(60), [(labels, [0, 1])], permutations=500, rng=rng)
    assert all(t.p == 1.0 for t in same)


def test_benjamini_hochberg_matches_hand_worked_values() -> None:
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.5]) == pytest.approx(
        [0.04, 0.0533333, 0.0533333, 0.5], rel=1e-4
    )
