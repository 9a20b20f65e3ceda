"""Small models the engine tests run against (the engine must not depend on the bookstore)."""
