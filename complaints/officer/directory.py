"""Supervisors' directory of platforms and collectors: verify, edit, merge, link complaints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from complaints.core.database import matches_like
from complaints.core.forms import attach_error
from complaints.core.i18n import current_language
from complaints.core.transaction import savepoint
from complaints.directory import admin as directory_admin
from complaints.directory.lookup import search_platforms
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.intake.access import normalise_reference
from complaints.models import Collector, Complaint, Platform
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.directory_forms import CollectorForm, LinkForm, MergeForm, PlatformForm
from complaints.officer.permissions import Permission, require
from complaints.officer.suggest import listed_name

RECENT = 50


def _platform(platform_id: int) -> Platform:
    platform = db.session.get(Platform, platform_id)
    if platform is None:
        abort(404)
    return platform


def _collector(collector_id: int) -> Collector:
    collector = db.session.get(Collector, collector_id)
    if collector is None:
        abort(404)
    return collector


@bp.get("/directory/platforms")
@require(Permission.MANAGE_DIRECTORY)
def platforms() -> str:
    """Platforms, unverified (consumer-typed) ones first; search by name, alias or pinyin."""
    query = request.args.get("q", "").strip()[:50]
    if query:
        found = search_platforms(query, limit=100)
    else:
        found = list(
            db.session.scalars(
                select(Platform)
                .where(Platform.merged_into_id.is_(None))
                .order_by(Platform.verified, Platform.created_at.desc())
                .limit(300)
            )
        )
    return render_template("officer/platforms.html", platforms=found, query=query)


def _merge_choices(form: MergeForm, platform: Platform) -> None:
    others = db.session.scalars(
        select(Platform)
        .where(Platform.merged_into_id.is_(None), Platform.id != platform.id)
        .order_by(Platform.verified.desc(), Platform.name_zh)
        .limit(1000)
    )
    language = current_language()
    form.target.choices = [SelectChoice(str(p.id), listed_name(p, language)) for p in others]


@bp.route("/directory/platforms/<id:platform_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_DIRECTORY)
def platform(platform_id: int) -> ResponseReturnValue:
    """Edit one platform: names in both languages, aliases, kind, company, verified."""
    entry = _platform(platform_id)
    form = PlatformForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        form.aliases.data = "\n".join(a.alias for a in entry.aliases)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            edit = directory_admin.PlatformEdit(
                name_zh=form.name_zh.data or "",
                name_en=form.name_en.data or "",
                kind=form.kind.data or "other",
                operating_company=form.operating_company.data or "",
                verified=bool(form.verified.data),
                aliases=(form.aliases.data or "").splitlines(),
            )
            try:
                with savepoint():
                    directory_admin.update_platform(entry, edit, by=current_user, remote_addr=client_address())
            except DomainError as error:
                attach_error(form, error)
            else:
                flash(_("Platform saved."), "success")
                return redirect(url_for("officer.platform", platform_id=entry.id), code=303)
    merge_form = MergeForm(formdata=None)
    _merge_choices(merge_form, entry)
    count = db.session.scalar(select(func.count()).select_from(Complaint).where(Complaint.platform_id == entry.id))
    merged_into = db.session.get(Platform, entry.merged_into_id) if entry.merged_into_id else None
    return render_template(
        "officer/platform.html", platform=entry, form=form, merge_form=merge_form, count=count, merged_into=merged_into
    ), status


def _merge(
    form: MergeForm,
    source: Any,
    load: Callable[[int], Any],
    merge: Callable[..., int],
    endpoint: str,
    key: str,
    not_chosen: str,
) -> Response:
    """Merge a directory entry into the chosen one and go to the survivor's page (platforms and collectors alike)."""
    if not form.validate():
        flash(not_chosen, "error")
        return redirect(url_for(endpoint, **{key: source.id}), code=303)
    target = load(int(form.target.data or 0))
    try:
        with savepoint():
            moved = merge(source, target, by=current_user, remote_addr=client_address())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(endpoint, **{key: source.id}), code=303)
    flash(_("Merged; %(n)d complaints moved.", n=moved), "success")
    return redirect(url_for(endpoint, **{key: target.id}), code=303)


@bp.post("/directory/platforms/<id:platform_id>/merge")
@require(Permission.MANAGE_DIRECTORY)
def platform_merge(platform_id: int) -> ResponseReturnValue:
    """Merge this platform into another: its complaints move, its names become aliases."""
    source = _platform(platform_id)
    form = MergeForm()
    _merge_choices(form, source)
    return _merge(
        form,
        source,
        _platform,
        directory_admin.merge_platforms,
        "officer.platform",
        "platform_id",
        _("Choose a platform to merge into."),
    )


@bp.route("/directory/collectors", methods=["GET", "POST"])
@require(Permission.MANAGE_DIRECTORY)
def collectors() -> ResponseReturnValue:
    """Collectors, searchable by name or phone number, and the form that creates one."""
    form = CollectorForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                with savepoint():
                    created = directory_admin.save_collector(
                        None,
                        form.name.data or "",
                        form.kind.data or "unknown",
                        form.notes.data or "",
                        form.phones.data or "",
                        by=current_user,
                        remote_addr=client_address(),
                    )
            except DomainError as error:
                attach_error(form, error)
            else:
                flash(_("Collector created."), "success")
                return redirect(url_for("officer.collector", collector_id=created.id), code=303)
    query = request.args.get("q", "").strip()[:50]
    stmt = select(Collector).where(Collector.merged_into_id.is_(None))
    if query:
        from complaints.models import CollectorPhone

        stmt = stmt.where(
            or_(
                matches_like(Collector.name, query),
                Collector.id.in_(select(CollectorPhone.collector_id).where(matches_like(CollectorPhone.phone, query))),
            )
        )
    found = list(db.session.scalars(stmt.order_by(Collector.name).limit(300)))
    return render_template("officer/collectors.html", collectors=found, form=form, query=query), status


def _collector_merge_choices(form: MergeForm, collector: Collector) -> None:
    others = db.session.scalars(
        select(Collector)
        .where(Collector.merged_into_id.is_(None), Collector.id != collector.id)
        .order_by(Collector.name)
        .limit(1000)
    )
    form.target.choices = [SelectChoice(str(c.id), c.name) for c in others]


@bp.route("/directory/collectors/<id:collector_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_DIRECTORY)
def collector(collector_id: int) -> ResponseReturnValue:
    """One collector: edit it and its numbers; see the platforms it collected for and its complaints."""
    entry = _collector(collector_id)
    form = CollectorForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        form.phones.data = "\n".join(p.phone for p in entry.phones)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                with savepoint():
                    directory_admin.save_collector(
                        entry,
                        form.name.data or "",
                        form.kind.data or "unknown",
                        form.notes.data or "",
                        form.phones.data or "",
                        by=current_user,
                        remote_addr=client_address(),
                    )
            except DomainError as error:
                entry = _collector(collector_id)
                attach_error(form, error)
            else:
                flash(_("Collector saved."), "success")
                return redirect(url_for("officer.collector", collector_id=entry.id), code=303)
    merge_form = MergeForm(formdata=None)
    _collector_merge_choices(merge_form, entry)
    platforms_for = db.session.execute(
        select(Platform, func.count(Complaint.id))
        .join(Complaint, Complaint.platform_id == Platform.id)
        .where(Complaint.collector_id == entry.id)
        .group_by(Platform.id)
        .order_by(func.count(Complaint.id).desc())
    ).all()
    complaints = list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.collector_id == entry.id)
            .order_by(Complaint.submitted_at.desc())
            .limit(RECENT)
        )
    )
    return render_template(
        "officer/collector.html",
        collector=entry,
        form=form,
        merge_form=merge_form,
        link_form=LinkForm(formdata=None),
        platforms_for=platforms_for,
        complaints=complaints,
    ), status


@bp.post("/directory/collectors/<id:collector_id>/merge")
@require(Permission.MANAGE_DIRECTORY)
def collector_merge(collector_id: int) -> ResponseReturnValue:
    """Merge this collector into another: complaints and numbers move."""
    source = _collector(collector_id)
    form = MergeForm()
    _collector_merge_choices(form, source)
    return _merge(
        form,
        source,
        _collector,
        directory_admin.merge_collectors,
        "officer.collector",
        "collector_id",
        _("Choose a collector to merge into."),
    )


@bp.post("/directory/collectors/<id:collector_id>/link")
@require(Permission.MANAGE_DIRECTORY)
def collector_link(collector_id: int) -> ResponseReturnValue:
    """Link a complaint, given by its reference, to this collector."""
    entry = _collector(collector_id)
    form = LinkForm()
    if form.validate():
        complaint = db.session.scalar(
            select(Complaint).where(Complaint.reference == normalise_reference(form.reference.data or ""))
        )
        if complaint is None:
            flash(_("No complaint has this reference."), "error")
        else:
            try:
                with savepoint():
                    directory_admin.link_complaint(entry, complaint, by=current_user, remote_addr=client_address())
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("Complaint linked."), "success")
    return redirect(url_for("officer.collector", collector_id=entry.id), code=303)
