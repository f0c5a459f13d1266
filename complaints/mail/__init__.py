"""Mail: messages composed in the recipient's language, an outbox in the caller's transaction, an SMTP worker."""

from __future__ import annotations

from flask import Flask

from complaints.mail import smtp


def init_app(app: Flask) -> None:
    """Check SMTP_URL and MAIL_FROM at start, so a typo stops the deployment instead of the first mail."""
    try:
        smtp.parse_smtp_url(
            app.config.get("SMTP_URL", ""),
            mail_from=app.config.get("MAIL_FROM", ""),
            timeout=float(app.config.get("SMTP_TIMEOUT_SECONDS", 10)),
        )
    except smtp.SmtpUrlError as exc:
        raise RuntimeError(str(exc)) from exc
