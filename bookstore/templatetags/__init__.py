"""Template tags of the bookstore's pages."""
