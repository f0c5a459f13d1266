"""CollectWatch: report, route and count abusive debt collection."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from complaints.config import BASE_DIR, Config


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the application from a configuration object (the environment's by default)."""
    from complaints.core.error_pages import OutageAwareFlask

    config = config or Config()
    app = OutageAwareFlask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(config.INSTANCE_PATH),
        instance_relative_config=False,
    )
    app.config.from_mapping(config.as_mapping())
    app.config.update(overrides)
    config.INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        # The client address and the scheme come from the proxies; the host never does (PUBLIC_BASE_URL).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]

    register_core(app)
    register_extensions(app)
    register_areas(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_core(app: Flask) -> None:
    """Logging, the key ring, the request class, the transaction and the security headers.

    The security headers go first: Flask runs an app's after-request hooks in reverse order of
    registration, so the first registered runs last and no later hook (an extension's cookie, a
    blueprint's CORS) can change a response after it.
    """
    from complaints.core import crypto, error_pages, request, security, transaction

    security.init_app(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    crypto.init_app(app)
    request.init_app(app)
    transaction.init_app(app)
    error_pages.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of complaints.extensions to this app, with i18n and templating."""
    from complaints.core import database, i18n, routing, templating
    from complaints.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=i18n.translation_directories(),
    )
    login_manager.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    routing.init_app(app)


def register_areas(app: Flask) -> None:
    """Each domain area's listeners and hooks, by name: correctness must not hang on a blueprint."""
    from complaints import accounts, intake, mail, privacy, statistics

    privacy.init_app(app)
    intake.init_app(app)
    statistics.init_app(app)
    accounts.init_app(app)
    mail.init_app(app)


def register_blueprints(app: Flask) -> None:
    """The five audiences: consumers, officers, platforms' responders, the statistics pages and the JSON API."""
    from complaints.api.views import bp as api_bp
    from complaints.officer.views import bp as officer_bp
    from complaints.public.views import bp as public_bp
    from complaints.respond.views import bp as respond_bp
    from complaints.stats.views import bp as stats_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(officer_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(api_bp)


def register_commands(app: Flask) -> None:
    """The flask CLI commands (seed-reference, create-officer, demo-data …)."""
    from complaints import cli

    cli.register(app)
