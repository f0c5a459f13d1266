"""CollectWatch: report, route and count abusive debt collection."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from complaints.config import BASE_DIR, Config


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the application from a configuration object (the environment's by default)."""
    config = config or Config()
    app = Flask(
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
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    register_logging(app)
    register_keyring(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    """Plain log lines to stderr; request bodies are never logged."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from complaints.privacy import log_filters as log_privacy

    log_privacy.install()


def register_keyring(app: Flask) -> None:
    """Load the data keys that encrypt private fields and evidence; production refuses to start without them."""
    from complaints.core import crypto

    crypto.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of complaints.extensions to this app."""
    from complaints.core import database, i18n
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
    i18n.register(app)

    from complaints.accounts import sessions as accounts
    from complaints.core import templating

    accounts.register(app)
    templating.register(app)


def register_blueprints(app: Flask) -> None:
    """Attach the public, officer, statistics and API blueprints."""
    from complaints.core import routing

    routing.register(app)
    from complaints.officer.views import bp as officer_bp
    from complaints.public.views import bp as public_bp
    from complaints.stats import register as register_stats

    app.register_blueprint(public_bp)
    app.register_blueprint(officer_bp)
    register_stats(app)


def register_errorhandlers(app: Flask) -> None:
    """Plain, translated error pages; never a traceback."""
    from complaints.core import error_pages as errors

    errors.register(app)


def register_request_hooks(app: Flask) -> None:
    """NUL-free form values, one commit per request, and the security headers on every response."""
    from complaints.core import security, transaction
    from complaints.core.request import AppRequest

    app.request_class = AppRequest
    transaction.register(app)
    security.register(app)


def register_commands(app: Flask) -> None:
    """The flask CLI commands (seed-reference, create-officer, demo-data …)."""
    from complaints.cli import reference as cli

    cli.register(app)
