"""kg.interrupt: a signal during a step that must not stop half-way waits for its end."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from kg import interrupt

pytestmark = pytest.mark.skipif(not hasattr(signal, "raise_signal"), reason="needs raise_signal")


@pytest.fixture
def installed() -> Iterator[None]:
    restore = interrupt.install()
    try:
        yield
    finally:
        restore()


def test_a_signal_during_a_deferred_step_is_raised_when_it_is_over(installed: None) -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with interrupt.deferred():
            signal.raise_signal(signal.SIGTERM)
            steps.append("after the signal")
        steps.append("after the step")  # not reached
    assert steps == ["after the signal"]
    assert interrupt.received() == signal.SIGTERM


def test_nested_deferred_steps_raise_at_the_end_of_the_outer_one(installed: None) -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupt.deferred():
        with interrupt.deferred():
            signal.raise_signal(signal.SIGINT)
        steps.append("inner over")
    assert steps == ["inner over"]


def test_a_deferred_step_that_fails_still_raises_the_interrupt(installed: None) -> None:
    with pytest.raises(KeyboardInterrupt) as caught, interrupt.deferred():
        signal.raise_signal(signal.SIGINT)
        raise ValueError("the step failed")
    assert isinstance(caught.value.__context__, ValueError)


def test_after_the_interrupt_a_second_signal_is_only_counted(installed: None) -> None:
    with pytest.raises(KeyboardInterrupt), interrupt.deferred():
        signal.raise_signal(signal.SIGINT)
    # the cleanup the first one started: a repeat, even in a deferred step, does not raise
    with interrupt.deferred():
        signal.raise_signal(signal.SIGTERM)
    signal.raise_signal(signal.SIGINT)
    assert interrupt.received() == signal.SIGINT


def test_no_signal_no_interrupt(installed: None) -> None:
    with interrupt.deferred():
        pass
    assert interrupt.received() is None


def test_a_signal_held_back_by_the_output_swap_is_not_raised_by_a_deferred_step(
    installed: None,
) -> None:
    """Once the output is being put in place, the command counts as done."""
    with interrupt.committing(), interrupt.deferred():
        signal.raise_signal(signal.SIGINT)
    assert interrupt.received() == signal.SIGINT
