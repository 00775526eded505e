"""What cuts across both audiences: security headers, error pages, template filters."""
