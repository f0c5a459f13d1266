"""Infrastructure every layer may use: database, the request's transaction, security headers, i18n, templating, routing, error pages."""
