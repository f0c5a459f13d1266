"""Security headers set in one place, and safe redirects."""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response as BaseResponse

log = logging.getLogger(__name__)

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

#: Pages whose content is personal: never stored by a browser or a proxy (the receipt shows the access code).
PRIVATE_PREFIXES = ("/status", "/officer", "/complaints/")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=63072000; includeSubDomains"


#: Unicode categories never sent back in a Location: controls (CR, LF, NUL, C1), format and line separators.
UNSAFE_IN_LOCATION = frozenset({"Cc", "Cf", "Zl", "Zp"})


def safe_next_url(target: str | None, fallback: str = "/") -> str:
    """A local path to redirect to; anything pointing elsewhere becomes the fallback."""
    if not target:
        return fallback
    target = target.replace("\\", "/").strip()
    if any(unicodedata.category(ch) in UNSAFE_IN_LOCATION for ch in target):
        return fallback  # CR/LF would split the Location header (a 500, or a header of the attacker's)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


#: The Cache-Control of every personal answer: for this browser only, and not even kept there.
NOT_STORED = "private, no-store"


def keep_private(response: BaseResponse) -> None:
    """A cookie is somebody's: no cache, shared or not, may keep the answer that sets it."""
    response.headers["Cache-Control"] = NOT_STORED
    response.headers.pop("ETag", None)
    response.headers.pop("Last-Modified", None)


class PrivateSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; an answer that writes it is private and never stored.

    Flask saves the session after every after-request hook has run, so the headers hook cannot see
    this cookie; this does, and it hardens the cookie like the others.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Write the cookie as Flask does; then mark the answer private if a cookie went out."""
        super().save_session(app, session, response)
        if "Set-Cookie" in response.headers:
            keep_private(response)
            harden_cookies(response, secure=bool(app.config.get("SESSION_COOKIE_SECURE")))


def harden_cookies(response: Response, secure: bool) -> None:
    """Give every Set-Cookie of the response HttpOnly, SameSite=Lax and (in production) Secure.

    The app's own cookies are configured so (config.py), but an extension may set one on its own
    terms: Flask-Login's deletion of its remember cookie carries none of these attributes.
    """
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    hardened = []
    for cookie in cookies:
        present = {part.strip().split("=", 1)[0].lower() for part in cookie.split(";")[1:]}
        extra = []
        if "httponly" not in present:
            extra.append("HttpOnly")
        if secure and "secure" not in present:
            extra.append("Secure")
        if "samesite" not in present:
            extra.append("SameSite=Lax")
        hardened.append("; ".join([cookie, *extra]))
    response.headers.setlist("Set-Cookie", hardened)


def init_app(app: Flask) -> None:
    """Add the security headers to every response, pages, errors and files alike.

    The hook runs after every other one, after the blueprints' own hooks, and also on the responses
    of error handlers (404, 405, 413, 429, 500) and on static files.
    """
    production = app.config.get("ENV_NAME") == "production"
    if production and str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        log.warning(
            "REDIS_URL is not set: rate limits are counted in memory, per worker, so with N gunicorn "
            "workers a client gets up to N times each limit. Set REDIS_URL to share the counters."
        )

    def security_headers(response: Response) -> Response:
        headers = response.headers
        # A view may only make its policy stricter (the officers' evidence files: sandbox, default-src 'none').
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: our own forms must carry a Referer, because over HTTPS Flask-WTF
        # refuses a POST without one (WTF_CSRF_SSL_STRICT); no other site ever learns our addresses.
        headers["Referrer-Policy"] = "same-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        # Cross-origin isolation: no other site's window keeps a handle on ours, no resource of ours is
        # embedded elsewhere, and our pages embed nothing that did not agree to it.
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Embedder-Policy"] = "require-corp"
        # Open data (the API and the datasets answer any origin) may be fetched by other sites.
        open_data = headers.get("Access-Control-Allow-Origin") == "*"
        headers["Cross-Origin-Resource-Policy"] = "cross-origin" if open_data else "same-origin"
        headers["X-Frame-Options"] = "DENY"
        if production:
            headers["Strict-Transport-Security"] = HSTS
        if request.path.startswith(PRIVATE_PREFIXES) or "Set-Cookie" in headers:
            keep_private(response)
        harden_cookies(response, secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
        return response

    # create_app registers this before any other hook: Flask runs an app's after-request hooks in
    # reverse order of registration, so this one runs last.
    app.after_request(security_headers)
    app.session_interface = PrivateSessionInterface()
