"""A fast path turned off in one thread stays on in the others, and nested blocks restore."""

import threading

from fetchplan.plan.fast_path import FastPath


def test_turning_a_fast_path_off_affects_only_this_thread() -> None:
    """Catches: a switch shared by the process (a web server's other threads would take the
    general path while one thread runs a comparison or a profile)."""
    path = FastPath()
    seen: list[bool] = []
    inside = threading.Event()
    checked = threading.Event()

    def other_thread() -> None:
        inside.wait(5)
        seen.append(path.on)
        checked.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with path.disabled():
        assert not path.on
        inside.set()
        assert checked.wait(5)
    worker.join(5)
    assert seen == [True]
    assert path.on


def test_a_nested_block_restores_the_outer_blocks_state() -> None:
    """Catches: leaving a nested block turning the fast path back on inside the outer one."""
    path = FastPath()
    with path.disabled():
        with path.disabled():
            assert not path.on
        assert not path.on
    assert path.on


def test_two_fast_paths_switch_apart() -> None:
    first, second = FastPath(), FastPath()
    with first.disabled():
        assert not first.on
        assert second.on
