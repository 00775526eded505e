"""Where a person's answers live: the signed cookie (public) or the database (staff calls)."""
