"""Apps for the autodiscovery tests: each lays out (or lacks) its ``repos`` differently."""
