"""An app without any repository module: nothing to discover, not an error."""
