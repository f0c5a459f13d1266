"""Security headers set in one place, and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

#: Pages whose content is personal: never stored by a browser or a proxy.
PRIVATE_PREFIXES = ("/status", "/officer", "/complaints/new")


def safe_next_url(target: str | None, fallback: str = "/") -> str:
    """A local path to redirect to; anything pointing elsewhere becomes the fallback."""
    if not target:
        return fallback
    target = target.replace("\\", "/").strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def register(app: Flask) -> None:
    """Add the security headers to every response, pages, errors and files alike."""
    production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        if production:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if request.path.startswith(PRIVATE_PREFIXES):
            headers["Cache-Control"] = "no-store"
        return response
