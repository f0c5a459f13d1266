"""Language choice: the visitor's switcher first, then Accept-Language, then the default."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from complaints.config import BASE_DIR
from complaints.core.security import safe_next_url

LANGUAGES = {"zh_Hans": "中文", "en": "English"}
LANGUAGE_COOKIE = "lang"  # in production "__Host-lang": see LANGUAGE_COOKIE_NAME in config.py

bp = Blueprint("i18n", __name__)


def translation_directories() -> str:
    """Every catalog folder: one per area, so areas can be translated independently."""
    folders = sorted(str(p.parent.parent) for p in (BASE_DIR / "complaints").glob("**/translations/*/LC_MESSAGES"))
    return ";".join(dict.fromkeys(folders)) or "translations"


def _normalise(tag: str) -> str | None:
    tag = tag.replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_Hans"
    if tag.startswith("en"):
        return "en"
    return None


def language_cookie_name() -> str:
    """The language cookie's name: ``__Host-lang`` in production, ``lang`` elsewhere."""
    return str(current_app.config.get("LANGUAGE_COOKIE_NAME", LANGUAGE_COOKIE))


def select_locale() -> str:
    """The language of this request."""
    chosen = _normalise(request.cookies.get(language_cookie_name(), "")) if request else None
    if chosen:
        return chosen
    if request:
        for tag, _quality in request.accept_languages:
            found = _normalise(tag)
            if found:
                return found
    default: str = current_app.config.get("DEFAULT_LANGUAGE", "zh_Hans")
    return default


def current_language() -> str:
    """``zh_Hans`` or ``en``, for choosing between the two columns of reference data."""
    return "zh_Hans" if str(get_locale() or "zh_Hans").startswith("zh") else "en"


@bp.get("/language/<code>")
def switch_language(code: str) -> Response:
    """Remember the visitor's language in a cookie and go back to where they were."""
    target = safe_next_url(request.args.get("next"))
    response = redirect(target)
    if code in LANGUAGES:
        # Same attributes as the session cookie; Path=/ and no Domain, as the __Host- prefix requires.
        response.set_cookie(
            language_cookie_name(),
            code,
            max_age=365 * 24 * 3600,
            path="/",
            domain=None,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE", False)),
        )
    return response


def init_app(app: Flask) -> None:
    """Make the language helpers available to templates."""
    app.register_blueprint(bp)

    @app.context_processor
    def language_context() -> dict[str, object]:
        language = current_language()
        return {
            "LANGUAGES": LANGUAGES,
            "lang": language,
            "html_lang": "zh-Hans" if language == "zh_Hans" else "en",
        }
