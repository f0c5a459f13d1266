"""Infrastructure every layer may use: database, transaction, security headers, i18n, templating, routing."""
