"""Thin Slack listeners: ack, parse the payload (`handlers.payloads`), call a flow
(`bot.flows`), respond. These tables are the single list of what the app answers: `register`
wires them into Bolt and the manifest test checks them against the manifest. Handlers never
import jobs, nor the database.

Every listener is split in two. `ack` runs on the request thread and must be quick: it answers
Slack (within its 3 seconds) and may reject bad input. `work` runs afterwards on the listener
pool, so nothing slow ever delays an acknowledgement."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App

from bot.runtime import Runtime
from bot.slack.access_ids import AccessAction, AccessCallback
from bot.slack.ids import Action, Callback
from handlers import access_command, draft_command, home, reminder_actions, review
from handlers.context import inject_runtime
from handlers.messages import direct_message, pick_slot
from handlers.social_command import handle_social

log = logging.getLogger("socialbot.handlers")
SORRY = "Sorry, something went wrong on our side and nothing was changed. It has been logged."


def ack_now(ack: Ack) -> None:
    ack()


def guarded(work: Callable[..., Any]) -> Callable[..., Any]:
    """Work that fails is logged with its traceback, and the person is told, never left
    waiting. (Bolt reads the wrapped function's parameters, so injection still works.)"""

    @functools.wraps(work)
    def run(**kwargs: Any) -> None:
        try:
            work(**kwargs)
        except Exception:
            log.exception("listener failed", extra={"detail": work.__name__})
            respond = kwargs.get("respond")
            if respond is not None:
                with contextlib.suppress(Exception):
                    respond(text=SORRY, response_type="ephemeral", replace_original=False)

    return run


@dataclass(frozen=True)
class Listener:
    work: Callable[..., Any]
    ack: Callable[..., Any] = ack_now


COMMANDS: dict[str, Listener] = {
    "/social": Listener(work=handle_social),
    "/access": Listener(work=access_command.handle_access),
}
EVENTS: dict[str, Listener] = {
    "app_home_opened": Listener(work=home.handle_app_home_opened),
    "message.im": Listener(work=direct_message),
}
ACTIONS: dict[Action | AccessAction, Listener] = {
    Action.DRAFT_OPEN: Listener(work=reminder_actions.open_draft_modal),
    Action.SNOOZE_1D: Listener(work=reminder_actions.snooze),
    Action.SNOOZE_3D: Listener(work=reminder_actions.snooze),
    Action.HAND_BACK: Listener(work=reminder_actions.open_hand_back_modal),
    Action.REASSIGN: Listener(work=reminder_actions.reassign),
    Action.CANCEL_SLOT: Listener(work=reminder_actions.cancel_slot),
    Action.RESTORE_SLOT: Listener(work=reminder_actions.restore_slot),
    Action.REMIND_AGAIN: Listener(work=reminder_actions.remind_again),
    Action.PICK_SLOT: Listener(work=pick_slot),
    Action.APPROVE: Listener(work=review.approve),
    Action.REQUEST_CHANGES: Listener(work=review.open_request_changes),
    Action.REJECT: Listener(work=review.open_reject),
    Action.MARK_PUBLISHED: Listener(work=review.open_mark_published),
    Action.LEADER_APPROVE: Listener(work=review.leader_approve),
    Action.LEADER_REJECT: Listener(work=review.open_leader_reject),
    Action.HOME_DRAFT: Listener(work=draft_command.home_draft),
    AccessAction.APPROVE: Listener(work=access_command.approve),
    AccessAction.DENY: Listener(work=access_command.open_deny),
    AccessAction.REVEAL: Listener(work=access_command.reveal),
    AccessAction.REFRESH: Listener(work=access_command.refresh),
    AccessAction.BREAK_GLASS: Listener(work=access_command.open_break_glass),
    AccessAction.REVOKE: Listener(work=access_command.revoke),
    Action.HOME_MONTH: Listener(work=home.show_month),
    Action.SLOT_ADD: Listener(work=home.open_add),
    Action.SLOT_MENU: Listener(work=home.open_slot_menu),
}
VIEWS: dict[Callback | AccessCallback, Listener] = {
    Callback.DRAFT: Listener(ack=reminder_actions.ack_draft, work=reminder_actions.draft_submitted),
    Callback.HAND_BACK: Listener(
        ack=reminder_actions.ack_hand_back, work=reminder_actions.hand_back_submitted
    ),
    Callback.REQUEST_CHANGES: Listener(ack=review.ack_reason, work=review.changes_submitted),
    Callback.REJECT: Listener(ack=review.ack_reason, work=review.reject_submitted),
    Callback.PUBLISHED: Listener(ack=review.ack_published, work=review.published_submitted),
    Callback.LEADER_REJECT: Listener(ack=review.ack_reason, work=review.leader_reject_submitted),
    Callback.DRAFT_COMMAND: Listener(
        ack=draft_command.ack_draft_command, work=draft_command.draft_command_submitted
    ),
    AccessCallback.REQUEST: Listener(
        ack=access_command.ack_request, work=access_command.request_submitted
    ),
    AccessCallback.DENY: Listener(
        ack=access_command.ack_reason, work=access_command.deny_submitted
    ),
    AccessCallback.BREAK_GLASS: Listener(
        ack=access_command.ack_break_glass, work=access_command.break_glass_submitted
    ),
    AccessCallback.SET_SECRET: Listener(
        ack=access_command.ack_set_secret, work=access_command.set_secret_submitted
    ),
    Callback.SLOT_ADD: Listener(ack=home.ack_add, work=home.slot_changed),
    Callback.SLOT_EDIT: Listener(ack=home.ack_edit, work=home.slot_edited),
    Callback.SLOT_MOVE: Listener(ack=home.ack_move, work=home.slot_changed),
    Callback.SLOT_REASSIGN: Listener(ack=home.ack_reassign, work=home.reassign_submitted),
    Callback.SLOT_CANCEL: Listener(ack=home.ack_cancel, work=home.cancel_submitted),
}


def register(app: App, runtime: Runtime) -> None:
    app.use(inject_runtime(runtime))
    for name, listener in COMMANDS.items():
        app.command(name)(ack=listener.ack, lazy=[guarded(listener.work)])
    for name, listener in EVENTS.items():
        # Subscriptions are named like "message.im"; Bolt listens for the event type.
        app.event(name.split(".")[0])(ack=listener.ack, lazy=[guarded(listener.work)])
    for action, listener in ACTIONS.items():
        # An action ID may carry a numeric suffix, to stay unique within its block.
        matcher = re.compile(rf"^{re.escape(action.value)}(_\d+)?$")
        app.action(matcher)(ack=listener.ack, lazy=[guarded(listener.work)])
    for callback, listener in VIEWS.items():
        app.view(callback.value)(ack=listener.ack, lazy=[guarded(listener.work)])
