"""An app whose repository module fails to import."""
