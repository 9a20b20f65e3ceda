"""An app whose repository modules are the package ``repos/`` and its submodules."""
