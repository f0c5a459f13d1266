"""Supervisors edit the regulators and the routing rules that suggest them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from complaints.core.forms import attach_error
from complaints.core.i18n import current_language
from complaints.core.transaction import savepoint
from complaints.directory import admin as directory_admin
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Regulator, RoutingRule
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.directory_forms import MATCH_TYPES, RegulatorForm, RoutingRuleForm
from complaints.officer.permissions import Permission, require


def _all_regulators() -> list[Regulator]:
    return list(db.session.scalars(select(Regulator).order_by(Regulator.sort_order, Regulator.code)))


@bp.get("/directory/regulators")
@require(Permission.MANAGE_DIRECTORY)
def regulators() -> str:
    """Every regulator with its intake and promised response time."""
    return render_template("officer/regulators.html", regulators=_all_regulators())


@bp.route("/directory/regulators/<code>", methods=["GET", "POST"])
@require(Permission.MANAGE_DIRECTORY)
def regulator(code: str) -> ResponseReturnValue:
    """Edit one regulator."""
    entry = db.session.get(Regulator, code)
    if entry is None:
        abort(404)
    form = RegulatorForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        return render_template("officer/regulator.html", regulator=entry, form=form)
    if form.validate():
        edit = directory_admin.RegulatorEdit(
            name_zh=form.name_zh.data or "",
            name_en=form.name_en.data or "",
            handles_zh=form.handles_zh.data or "",
            handles_en=form.handles_en.data or "",
            intake_channel=form.intake_channel.data or "hotline",
            intake_contact=form.intake_contact.data or "",
            response_days=form.response_days.data or 30,
            active=bool(form.active.data),
        )
        try:
            with savepoint():
                directory_admin.update_regulator(entry, edit, by=current_user, remote_addr=client_address())
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Regulator saved."), "success")
            return redirect(url_for("officer.regulators"), code=303)
    return render_template("officer/regulator.html", regulator=entry, form=form), 422


@bp.route("/directory/routing", methods=["GET", "POST"])
@require(Permission.MANAGE_DIRECTORY)
def routing_rules() -> ResponseReturnValue:
    """The routing rules, and the form that adds one."""
    form = RoutingRuleForm()
    language = current_language()
    form.regulator.choices = [SelectChoice(r.code, f"{r.code} · {r.name(language)}") for r in _all_regulators()]
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            target = db.session.get(Regulator, form.regulator.data)
            try:
                with savepoint():
                    if target is None:
                        raise DomainError(_("Choose a regulator."), "regulator")
                    directory_admin.add_routing_rule(
                        form.match_type.data or "",
                        form.match_value.data or "",
                        target,
                        form.note.data or "",
                        by=current_user,
                        remote_addr=client_address(),
                    )
            except DomainError as error:
                attach_error(form, error)
            else:
                flash(_("Routing rule added."), "success")
                return redirect(url_for("officer.routing_rules"), code=303)
    rules = list(db.session.scalars(select(RoutingRule).order_by(RoutingRule.match_type, RoutingRule.match_value)))
    # The seeded notes are source strings of the catalog (routing.yaml); a supervisor's own note shows as typed.
    # Translated here, not with the template's _(), which would mark the note safe HTML.
    notes = {rule.id: _(rule.note) if rule.note else "" for rule in rules}
    return render_template("officer/routing.html", rules=rules, notes=notes, form=form, match_types=MATCH_TYPES), status


@bp.post("/directory/routing/<id:rule_id>/delete")
@require(Permission.MANAGE_DIRECTORY)
def routing_rule_delete(rule_id: int) -> ResponseReturnValue:
    """Remove a routing rule."""
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        abort(404)
    directory_admin.delete_routing_rule(rule, by=current_user, remote_addr=client_address())
    flash(_("Routing rule removed."), "success")
    return redirect(url_for("officer.routing_rules"), code=303)
