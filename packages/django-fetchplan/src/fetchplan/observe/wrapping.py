"""Turn a context-manager factory into a signature-preserving decorator (sync or async).

``no_queries`` and ``query_budget`` are both "run the function inside this block". A decorator
must enter a *fresh* block per call (calls may overlap in threads and tasks), and for a coroutine
function it must enter the block around the awaited body, not around creating the coroutine.
Generator functions are refused: their body runs after the call returns, outside the block.
"""

import functools
import inspect
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from typing import Any, cast

CANNOT_DECORATE_GENERATOR = (
    "{decorator} cannot decorate the generator function {function}(): its body runs while "
    "the caller iterates, outside the block. Decorate the function that consumes it instead."
)


def run_inside[**P, R](
    func: Callable[P, R], block: Callable[[], AbstractContextManager[Any]], *, decorator: str
) -> Callable[P, R]:
    """Return ``func`` wrapped so each call runs inside a new ``block()``, same signature.

    Raises TypeError for generator and async generator functions.
    """
    if inspect.isgeneratorfunction(func) or inspect.isasyncgenfunction(func):
        raise TypeError(
            CANNOT_DECORATE_GENERATOR.format(decorator=decorator, function=func.__qualname__)
        )
    if inspect.iscoroutinefunction(func):
        async_func = cast(Callable[..., Coroutine[Any, Any, Any]], func)

        @functools.wraps(func)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with block():
                return await async_func(*args, **kwargs)

        return cast(Callable[P, R], run_async)

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with block():
            return func(*args, **kwargs)

    return run
