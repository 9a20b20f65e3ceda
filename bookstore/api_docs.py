"""The API's interactive docs (``/api/docs``): Swagger UI from the project's own static files.

django-ninja ships Swagger UI's scripts and styles and serves them when ``"ninja"`` is an
installed app; without it, its page loads them from a CDN. The page here is ninja's, plus a
viewport (readable on a phone), the site's icon and a link back to the bookstore. Swagger UI's
validator badge would call an outside service: ``validatorUrl`` is off.
"""

from typing import Any

from ninja.openapi.docs import Swagger

DOCS_TEMPLATE = "bookstore/api_docs.html"


class LocalSwagger(Swagger):
    """Swagger UI rendered from ``bookstore/api_docs.html`` with local assets only."""

    template = DOCS_TEMPLATE

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        super().__init__({"validatorUrl": None, **(settings or {})})


LOCAL_SWAGGER = LocalSwagger()
