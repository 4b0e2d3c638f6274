"""App Home, published when someone opens the tab, shaped by their role."""

from __future__ import annotations

import json

from tests.conftest import Served


def _home(served: Served, user_id: str) -> str:
    reply = served.slack.app_home_opened(user_id)
    assert reply.status == 200
    [publish] = served.fake.wait_for("views.publish")
    assert publish["user_id"] == user_id
    view = publish.view
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    return json.dumps(view["blocks"], ensure_ascii=False)


def test_contributor_sees_their_upcoming_slots(org, served: Served):
    text = _home(served, "U0ALICE")
    assert "Your upcoming posts" in text
    assert "Webinar invite" in text  # due 26 January, after "now" (15 January)
    assert "New year product tips" not in text  # due 5 January: already past
    assert "Every department" not in text


def test_coordinator_sees_their_department_month(org, served: Served):
    text = _home(served, "U0MKTLEAD")
    assert "Marketing: January 2027" in text
    assert "New year product tips" in text and "Customer story" in text
    assert "Paper of the month" not in text


def test_overall_coordinator_sees_every_department(org, served: Served):
    text = _home(served, "U0OVERALL")
    assert "Every department: January 2027" in text
    assert "*Marketing* (3)" in text and "*Research* (1)" in text


def test_stranger_is_told_who_to_ask(org, served: Served):
    text = _home(served, "U0STRANGER")
    assert "not part of the social media programme" in text
    assert "<@U0OVERALL>" in text


def test_messages_tab_opening_publishes_nothing(org, served: Served):
    served.slack.event(
        {"type": "app_home_opened", "user": "U0ALICE", "channel": "D0ALICE", "tab": "messages"}
    )
    served.idle()
    assert served.fake.calls_to("views.publish") == []


def test_topic_text_cannot_ping_anyone(org, served: Served):
    from bot.schedule.service import import_schedule

    with served.runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n"
            "Marketing,2027-01-20,x,<!channel> hello <@U0OVERALL> & co,U0ALICE\n",
            source="t.csv",
            now=served.runtime.now(),
        )
    text = _home(served, "U0ALICE")
    assert "&lt;!channel&gt; hello &lt;@U0OVERALL&gt; &amp; co" in text
    assert "<!channel>" not in text


def test_submit_a_draft_from_app_home(org, served: Served):
    text = _home(served, "U0ALICE")
    assert "home_draft" in text
    served.slack.block_action("U0ALICE", "home_draft", view={"id": "V1", "type": "home"})
    [opened] = served.fake.wait_for("views.open")
    assert opened.view["callback_id"] == "draft_command_submit"
