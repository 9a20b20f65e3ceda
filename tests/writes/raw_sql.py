"""Find SQL built with string formatting and handed to the database, by reading the AST.

A *sink* is a call that runs SQL text: ``.execute()`` / ``.executemany()`` (cursors and
connections), ``.raw()``, ``RawSQL(...)`` and ``.extra(...)``. Its SQL argument is *formatted*
when it is an f-string with a substitution, ``"..." % x``, ``"...".format(...)``, or a ``+``
with a non-literal side, or a name bound in the same scope to such an expression. Composition
with ``psycopg.sql.SQL(...).format(Identifier(...))`` quotes identifiers and is allowed (its
receiver is not a string literal). Parameters (``execute(sql, [x])``) are the way to go.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import override

SINK_METHODS = frozenset({"execute", "executemany", "raw", "extra"})
SINK_FUNCTIONS = frozenset({"RawSQL"})
EXTRA_SQL_KEYWORDS = frozenset({"select", "where", "tables", "order_by"})


@dataclass(frozen=True)
class Finding:
    """One sink fed formatted SQL."""

    path: str
    line: int
    call: str

    @override
    def __str__(self) -> str:
        return f"{self.path}:{self.line}: SQL built with string formatting passed to {self.call}()"


def _is_formatted(node: ast.expr, bindings: dict[str, list[ast.expr]], depth: int = 0) -> bool:
    if depth > 5:
        return False
    match node:
        case ast.JoinedStr(values=values):
            return any(isinstance(value, ast.FormattedValue) for value in values)
        case ast.BinOp(op=ast.Mod(), left=ast.Constant(value=str())):
            return True
        case ast.BinOp(op=ast.Add(), left=left, right=right):
            sides = (left, right)
            if all(isinstance(side, ast.Constant) for side in sides):
                return False  # "a" + "b" is one literal
            return any(_is_text(side, bindings, depth + 1) for side in sides)
        case ast.Call(func=ast.Attribute(value=ast.Constant(value=str()), attr="format")):
            return True
        case ast.Name(id=name):
            return any(
                _is_formatted(value, bindings, depth + 1) for value in bindings.get(name, ())
            )
    return False


def _is_text(node: ast.expr, bindings: dict[str, list[ast.expr]], depth: int) -> bool:
    """Return True if ``node`` is (or may be) SQL text: a literal, an f-string, formatted text."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr) or _is_formatted(node, bindings, depth):
        return True
    if isinstance(node, ast.Name) and depth <= 5:
        return any(_is_text(value, bindings, depth + 1) for value in bindings.get(node.id, ()))
    return False


def _sink_name(call: ast.Call) -> str | None:
    match call.func:
        case ast.Attribute(attr=attr) if attr in SINK_METHODS:
            return attr
        case ast.Name(id=name) | ast.Attribute(attr=name) if name in SINK_FUNCTIONS:
            return name
    return None


def _sql_arguments(call: ast.Call, sink: str) -> Iterator[ast.expr]:
    if call.args:
        yield call.args[0]
    for keyword in call.keywords:
        if keyword.arg in {"sql", "raw_query"} or (
            sink == "extra" and keyword.arg in EXTRA_SQL_KEYWORDS
        ):
            value = keyword.value
            yield from (value.elts if isinstance(value, ast.List | ast.Tuple) else [value])
            if isinstance(value, ast.Dict):
                yield from value.values


def _scopes(tree: ast.Module) -> Iterator[ast.AST]:
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """Walk ``scope`` without descending into nested functions (they are scopes of their own)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def scan_source(source: str, *, path: str = "<string>") -> list[Finding]:
    """Return every sink in ``source`` that is fed formatted SQL."""
    tree = ast.parse(source)
    findings: list[Finding] = []
    for scope in _scopes(tree):
        nodes = list(_own_nodes(scope))
        bindings: dict[str, list[ast.expr]] = {}
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bindings.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AugAssign | ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                bindings.setdefault(node.target.id, []).append(
                    ast.BinOp(left=node.target, op=ast.Add(), right=node.value)
                    if isinstance(node, ast.AugAssign)
                    else node.value
                )
        for node in nodes:
            if not isinstance(node, ast.Call) or (sink := _sink_name(node)) is None:
                continue
            if any(_is_formatted(arg, bindings) for arg in _sql_arguments(node, sink)):
                findings.append(Finding(path=path, line=node.lineno, call=sink))
    return sorted(set(findings), key=lambda finding: finding.line)


def project_files(root: Path) -> Iterator[Path]:
    """Yield every Python file of the project (not the virtualenv, caches or build output)."""
    skip = {".git", "node_modules", "build", ".mypy_cache", ".ruff_cache", "__pycache__", ".cache"}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        # .venv, .venv-django52: every virtualenv make creates.
        if not skip.intersection(parts) and not any(part.startswith(".venv") for part in parts):
            yield path
