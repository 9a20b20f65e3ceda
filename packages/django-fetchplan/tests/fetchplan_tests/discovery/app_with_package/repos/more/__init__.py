"""A nested package: discovered with its submodules too."""
