"""Read the tagged code blocks of the library's README (``<!-- readme: TAG -->`` before a
fenced block), for the tests that hold each one true."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"<!-- readme: (?P<tag>\S+) -->\n```[a-z]*\n(?P<body>.*?)```", re.DOTALL)


def blocks() -> dict[str, str]:
    """Return each tagged block's text, by tag."""
    return {match["tag"]: match["body"] for match in BLOCK.finditer(README.read_text())}
