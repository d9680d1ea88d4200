"""``rxprint.cli.main``: an interrupt that Python wraps in another exception while a
module is imported (3.11 wraps what ``__set_name__`` raises, a ``cached_property``'s for
one, in a RuntimeError) still ends as the interrupt, without a traceback."""

from __future__ import annotations

import signal
import sys
import types

import pytest

from rxprint import cli
from rxprint.runtime.interrupt import Interrupted


class _Exploding(types.ModuleType):
    def __init__(self, error: BaseException) -> None:
        super().__init__("rxprint.cli.group")
        self.error = error

    def __getattr__(self, name: str) -> object:
        raise self.error


def _wrapped(inner: BaseException) -> RuntimeError:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise RuntimeError("Error calling __set_name__ on '_x' instance") from exc
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(("inner", "status", "line"), [
    (Interrupted(signal.SIGTERM), 143, "Stopped (SIGTERM)."),
    (KeyboardInterrupt(), 130, "Interrupted."),
])
def test_a_wrapped_interrupt_during_imports_ends_as_the_interrupt(
        inner: BaseException, status: int, line: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "rxprint.cli.group", _Exploding(_wrapped(inner)))
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with pytest.raises(SystemExit) as ended:
            cli.main()
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert ended.value.code == status
    err = capsys.readouterr().err
    assert err.strip() == line and "Traceback" not in err


def test_any_other_error_is_not_taken_for_an_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rxprint.cli.group",
                        _Exploding(_wrapped(ValueError("a real bug"))))
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with pytest.raises(RuntimeError):
            cli.main()
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
