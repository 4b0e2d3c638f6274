"""Acknowledgements first: Slack gives an app 3 seconds to ack, and a response_url 30 minutes.

Under a burst, listener work competes with pending acks for the interpreter. The gate counts
requests still being acknowledged; the executor holds new work back until none are (or until
`max_wait` has passed, so work is never starved), letting every ack of a burst go out first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any


class AckGate:
    def __init__(self) -> None:
        self._in_flight = 0
        self._idle = threading.Condition()

    @contextmanager
    def acknowledging(self) -> Iterator[None]:
        with self._idle:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._idle:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._idle.notify_all()

    def wait_idle(self, timeout: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)


class AckFirstExecutor(ThreadPoolExecutor):
    def __init__(self, gate: AckGate, *, max_workers: int, max_wait: float = 0.5) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._gate = gate
        self._max_wait = max_wait

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def after_acks() -> Any:
            self._gate.wait_idle(self._max_wait)
            return fn(*args, **kwargs)

        return super().submit(after_acks)
