"""The package itself declares nothing; its submodules do."""
