"""Property: every form and every query or path parameter, fed hostile input, never gives a server error.

The forms come from the pages themselves (tests/functional/fuzzing.py): the consumer's (filing, status
look-up, add information, withdraw, publication consent, the review of a platform's answer, leave), the
statistics filters, every officer and supervisor form a signed-in supervisor sees, and the responder
portal's forms (the answer, the account) as a signed-in responder sees them. Values: arbitrary Unicode
(NUL, direction marks, emoji, CJK), badly encoded UTF-8, huge and empty values, numbers where text is
expected and text where numbers are, several values where one is expected, and fields the form does
not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from complaints.accounts import officers as accounts
from complaints.extensions import db, limiter
from complaints.models import Platform, PlatformStage
from complaints.models.officer import Role
from tests.factories import ComplaintFactory
from tests.factories_loop import ANSWER_TEXT, at_platform_stage
from tests.factories_officer import PASSWORD
from tests.functional.fuzzing import (
    ATTACKS,
    WELL_FORMED_FOR,
    FormSpec,
    Value,
    attacked,
    discover,
    form_data,
    near_valid,
    send,
    texts,
)
from tests.functional.helpers import open_status_page, post_complaint, valid_form
from tests.functional.officer.walk import (
    ACCESS,
    Sample,
    client_as,
    disposable_client,
    make_sample,
    methods,
    signed_in_cookies,
)

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Routes that end the sessions the rest of a run needs (the route walk covers them).
SESSION_ENDERS = {"officer.sign_out", "officer.reset_account", "officer.disable_account", "respond.sign_out"}

#: Where a complaint the responder portal shows can stand with its platform (every stage after sending).
SENT_STAGES = [stage for stage in PlatformStage if stage not in (PlatformStage.NOT_SENT, PlatformStage.WITHHELD)]

#: Every query parameter any view reads (stats filters, sorting, pagination, queue and audit filters …).
QUERY_NAMES = sorted(
    {
        "period",
        "status",
        "violation",
        "platform",
        "collector",
        "every",
        "sort",
        "dir",
        "q",
        "next",
        "download",
        "state",
        "after",
        "before",
        "referral",
        "kind",
        "officer",
        "reference",
        "address",
        "from",
        "to",
        "severity",
        "assignee",
        "code",
        "overdue",
        "evidence",
        "province",
        "answers",
        "show",
        "page",
    }
)


@pytest.fixture
def no_limits() -> Iterator[None]:
    """Rate limits off: they would answer 429 long before the fuzzer is done."""
    limiter.enabled = False
    yield
    limiter.enabled = True


@dataclass
class World:
    """Sample rows, the forms found on the pages, and the cookies that open them."""

    sample: Sample
    cookies: dict[str, str]
    public_forms: list[FormSpec]
    officer_forms: list[FormSpec]
    responder_forms: list[FormSpec]

    def field_names(self) -> list[str]:
        """Every field name of every form found."""
        forms = self.public_forms + self.officer_forms + self.responder_forms
        return sorted({name for form in forms for name in form.fields})

    def platform(self) -> Platform:
        """The platform whose complaints the responder's portal shows."""
        platform = db.session.get(Platform, self.sample.values["platform_id"])
        assert platform is not None
        return platform


def _consumer_cookie(app: Flask) -> str:
    """A session that has a complaint open on its status page (filed through the form)."""
    client = app.test_client()
    assert post_complaint(client, valid_form(consent_publish="y")).status_code == 303
    client.get("/complaints/receipt")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _role_for(endpoint: str) -> str:
    """Who sends the fuzzer's requests to an endpoint: the portal's responder, else the supervisor."""
    return "responder" if ACCESS.get(endpoint) == "responder" else "admin"


def _get_urls(app: Flask, sample: Sample, prefix: str) -> list[str]:
    return [
        sample.url(app, rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(prefix) and "GET" in methods(rule) and rule.endpoint != "static"
    ]


@pytest.fixture
def world(app: Flask, no_limits: None) -> World:
    sample = make_sample()
    cookies = signed_in_cookies(app)
    cookies["consumer"] = _consumer_cookie(app)
    enrolment = accounts.create_officer("new.officer@example.test", Role.OFFICER)
    db.session.commit()
    sample.values["token"] = enrolment.token
    consumer = client_as(app, cookies, "anyone")
    consumer.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies["consumer"])
    public_urls = ["/", "/complaints/new", "/status", "/status/complaint", "/status/complaint/withdraw", "/rights"]
    public = discover(consumer, public_urls + _get_urls(app, sample, "stats."))
    # The review of a platform's answer shows only while the consumer may give it.
    reviewer = client_as(app, cookies, "anyone")
    platform = db.session.get(Platform, sample.values["platform_id"])
    assert platform is not None
    open_status_page(reviewer, at_platform_stage(platform, PlatformStage.ANSWERED).id)
    public += [f for f in discover(reviewer, ["/status/complaint"]) if f.path.endswith("/platform-review")]
    for form in public:
        form.fields.pop("website", None)  # the honeypot: filled, the form is dropped unread
    with app.test_request_context():
        submitted = url_for("officer.case", complaint_id=sample.values["other_id"])  # shows the triage form
    officer = discover(client_as(app, cookies, "admin"), [*_get_urls(app, sample, "officer."), submitted])
    responder = discover(client_as(app, cookies, "responder"), _get_urls(app, sample, "respond."))
    return World(sample, cookies, public, officer, responder)


def _endpoint(app: Flask, form: FormSpec) -> str:
    adapter = app.url_map.bind("localhost")
    endpoint, _args = adapter.match(form.path, method=form.method)
    return str(endpoint)


def test_the_fuzzer_finds_every_kind_of_form(app: Flask, world: World) -> None:
    public = {(_endpoint(app, f), f.method) for f in world.public_forms}
    assert {
        ("public.new_complaint", "POST"),
        ("public.status_lookup", "POST"),
        ("public.add_information", "POST"),
        ("public.withdraw_publication_consent", "POST"),
        ("public.withdraw", "POST"),
        ("stats.home", "GET"),
        ("stats.complaints_csv", "GET"),
        ("public.platform_review", "POST"),
    } <= public, public
    officer = {_endpoint(app, f) for f in world.officer_forms}
    assert {
        "officer.enrol",
        "officer.sign_in",
        "officer.account",
        "officer.queue",
        "officer.accept",
        "officer.refer",
        "officer.message",
        "officer.close",
        "officer.platform",
        "officer.collector",
        "officer.regulator",
        "officer.routing_rules",
        "officer.accounts_page",
        "officer.publication_approve",
        "officer.audit",
        "officer.campaign_act",
    } <= officer, sorted(officer)
    responder = {_endpoint(app, f): f for f in world.responder_forms}
    assert {"respond.answer", "respond.account", "respond.sign_out"} <= set(responder), sorted(responder)
    assert {"response_type", "text"} <= set(responder["respond.answer"].fields)
    assert {"current_password", "password"} <= set(responder["respond.account"].fields)
    (review,) = (f for f in world.public_forms if _endpoint(app, f) == "public.platform_review")
    assert {"verdict", "reason"} <= set(review.fields)


def _reaches_the_portal(response: TestResponse, where: object) -> None:
    """The responder's request got to the portal's view: still signed in, and a responder to the guard."""
    assert response.status_code != 403, where
    assert "/officer/sign-in" not in response.headers.get("Location", ""), where


def _check(response_code: int, where: object) -> None:
    assert response_code < 500, where


def _check_as(role: str, response: TestResponse, where: object) -> None:
    """No server error; and a responder's request was not turned away before the portal's view."""
    _check(response.status_code, where)
    if role == "responder":
        _reaches_the_portal(response, where)


@FUZZ
@given(data=st.data())
def test_no_public_form_input_gives_a_server_error(app: Flask, world: World, data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(world.public_forms), label="form")
    pairs = data.draw(form_data(form, world.field_names()), label="pairs")
    client = client_as(app, world.cookies, "anyone")
    # Each example opens a complaint of its own, in any state, as a successful status look-up would.
    status = data.draw(st.sampled_from(["submitted", "needs_info", "accepted", "referred", "closed"]), label="status")
    resolution = "resolved" if status == "closed" else None
    complaint = ComplaintFactory(status=status, consent_publish=True, resolution=resolution)
    open_status_page(client, complaint.id)
    response = send(client, form.method, form.path, pairs)
    _check(response.status_code, (form.method, form.path, pairs))


@FUZZ
@given(data=st.data())
def test_no_officer_form_input_gives_a_server_error(app: Flask, world: World, data: st.DataObject) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("officer.") and "POST" in methods(r)]
    forms = [f for f in world.officer_forms if _endpoint(app, f) not in SESSION_ENDERS]
    # A POST route whose form no sample page shows (e.g. reopening a withheld narrative) gets every field name.
    shown = {_endpoint(app, f) for f in forms}
    everything = {name: [] for name in world.field_names()}
    forms += [
        FormSpec("", world.sample.url(app, r), "POST", dict(everything))
        for r in rules
        if r.endpoint not in shown and r.endpoint not in SESSION_ENDERS
    ]
    form = data.draw(st.sampled_from(forms), label="form")
    pairs = data.draw(form_data(form, world.field_names()), label="pairs")
    response = send(client_as(app, world.cookies, "admin"), form.method, form.path, pairs)
    _check(response.status_code, (form.method, form.path, pairs))


def _loop_forms(app: Flask, world: World) -> list[FormSpec]:
    """The platform loop's forms: the responder's (but signing out) and the consumer's review of an answer."""
    responder = [f for f in world.responder_forms if _endpoint(app, f) not in SESSION_ENDERS]
    return responder + [f for f in world.public_forms if _endpoint(app, f) == "public.platform_review"]


#: What the loop's forms take, for the fields whose page offers no value (the answer's kinds are offered).
LOOP_VALID = {
    "text": ANSWER_TEXT,
    "reason": "答复没有解决问题，催收仍在继续。",
    "current_password": PASSWORD,
    "password": "lantern orchard seventeen rivers",
    "confirm": "lantern orchard seventeen rivers",
}

#: The stage in which each loop form's operation can succeed, drawn half the time.
FAVOURED_STAGE = {"respond.answer": PlatformStage.AWAITING, "public.platform_review": PlatformStage.ANSWERED}


@FUZZ
@given(data=st.data())
def test_no_input_to_the_platform_loops_forms_gives_a_server_error(
    app: Flask, world: World, data: st.DataObject
) -> None:
    """The answer form, the responder's account form and the consumer's review, on a complaint in any stage.

    Each example sends a complaint of its own to the responder's platform, in a stage drawn from all
    those after sending, open or closed, and posts random pairs or a valid submission with some
    fields bent, so that hostile values reach the operations behind the forms, not only validation.
    """
    form = data.draw(st.sampled_from(_loop_forms(app, world)), label="form")
    endpoint = _endpoint(app, form)
    favoured = st.just(FAVOURED_STAGE.get(endpoint, PlatformStage.AWAITING))
    stage = data.draw(st.one_of(favoured, st.sampled_from(SENT_STAGES)), label="stage")
    complaint = at_platform_stage(world.platform(), stage, closed=data.draw(st.sampled_from([False, False, True])))
    pairs = data.draw(st.one_of(near_valid(form, LOOP_VALID), form_data(form, world.field_names())), label="pairs")
    path = form.path
    if endpoint == "public.platform_review":
        client = client_as(app, world.cookies, "anyone")
        open_status_page(client, complaint.id)
    elif endpoint == "respond.account":
        client = disposable_client(app, "responder")  # a changed password ends the shared session's copies
    else:
        client = client_as(app, world.cookies, "responder")
        path = form.path.replace(world.sample.values["reference"], complaint.reference)
    response = send(client, form.method, path, pairs)
    _check_as(_role_for(endpoint), response, (form.method, path, stage, pairs))
    if response.status_code == 303 and endpoint != "respond.account":
        # What was stored shows: the portal's complaint page and the consumer's status page.
        shown = client.get(response.headers["Location"])
        _check_as(_role_for(endpoint), shown, (path, pairs, "shown"))


def _url_with(app: Flask, rule: Rule, sample: Sample, overrides: dict[str, str]) -> str | None:
    """The rule's URL with some arguments replaced by hostile text (None when the converter refuses it)."""
    with app.test_request_context():
        values = {arg: overrides.get(arg, sample.values.get(arg, 1)) for arg in rule.arguments}
        try:
            return url_for(rule.endpoint, **values)
        except Exception:  # a converter (int, any) refusing the value is not the app's answer
            return None


@FUZZ
@example(rule_name="api.platforms", path_args={}, pairs=[("period", "2026-13")])
@example(rule_name="api.platform", path_args={"platform_id": "9" * 30}, pairs=[])
@example(rule_name="stats.complaints_csv", path_args={}, pairs=[("platform", "9" * 30), ("collector", "-" + "9" * 19)])
@example(rule_name="stats.table_csv", path_args={"key": "9" * 30}, pairs=[])
@example(rule_name="i18n.switch_language", path_args={"code": "\x00"}, pairs=[("next", "//evil.example/")])
@example(rule_name="respond.portal", path_args={}, pairs=[("page", "²"), ("show", "all")])  # isdigit(), not int()
@example(rule_name="respond.complaint", path_args={"reference": "ｃｗ－２０２６－０００００１"}, pairs=[])
@given(
    rule_name=st.sampled_from(
        [
            "api.platforms",
            "api.platform",
            "api.collector",
            "api.violation",
            "api.periods",
            "stats.home",
            "stats.platform",
            "stats.collector",
            "stats.violation",
            "stats.home_csv",
            "stats.table_csv",
            "stats.complaints_csv",
            "stats.counts_csv",
            "stats.datasets",
            "stats.dataset_file",
            "stats.dictionary",
            "public.suggest_platforms",
            "i18n.switch_language",
            "officer.queue",
            "officer.audit",
            "officer.publication_queue",
            "officer.platforms",
            "officer.collectors",
            "officer.case",
            "officer.packet",
            "officer.evidence_file",
            "officer.enrol",
            "officer.sign_in",
            "officer.compare",
            "respond.portal_home",
            "respond.portal",
            "respond.complaint",
        ]
    ),
    path_args=st.dictionaries(
        st.sampled_from(
            [
                "platform_id",
                "collector_id",
                "code",
                "kind",
                "key",
                "table_id",
                "name",
                "by",
                "token",
                "complaint_id",
                "other_id",
                "evidence_id",
                "reference",
            ]
        ),
        st.one_of(texts, st.sampled_from(["9" * 30, "-" + "9" * 19, "2147483648", "-1", "0"])),
        max_size=2,
    ),
    pairs=st.lists(st.tuples(st.sampled_from(QUERY_NAMES), texts), max_size=6),
)
def test_no_address_or_query_parameter_gives_a_server_error(
    app: Flask, world: World, rule_name: str, path_args: dict[str, str], pairs: list[tuple[str, Value]]
) -> None:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == rule_name)
    url = _url_with(app, rule, world.sample, path_args)
    if url is None:
        return
    role = _role_for(rule_name)
    response = send(client_as(app, world.cookies, role), "GET", url, pairs)
    _check_as(role, response, (url, pairs))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_parameter_in_an_attackers_form_stays_within_budget(app: Flask, world: World, attack: str) -> None:
    """Each GET route, with every query parameter at once, then each address argument, bent one way.

    Random text rarely hits a value a parser accepts once bent (`?period=２０２６` made a loop without
    end): here each parameter starts from a well-formed value of its own and is bent on purpose.
    """
    clients = {role: client_as(app, world.cookies, role) for role in ("admin", "responder")}
    pairs: list[tuple[str, Value]] = [(name, attacked(WELL_FORMED_FOR.get(name, "12"), attack)) for name in QUERY_NAMES]
    rules = [r for r in app.url_map.iter_rules() if "GET" in methods(r) and r.endpoint != "static"]
    assert len(rules) > 40
    for rule in rules:
        if rule.endpoint in SESSION_ENDERS:
            continue
        role = _role_for(rule.endpoint)
        url = _url_with(app, rule, world.sample, {})
        if url is not None:
            _check_as(role, send(clients[role], "GET", url, pairs), (attack, url))
        for arg in rule.arguments:
            bent = attacked(str(world.sample.values.get(arg, 1)), attack)
            url = _url_with(app, rule, world.sample, {arg: bent})
            if url is not None:
                _check_as(role, send(clients[role], "GET", url, []), (attack, url))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_form_field_in_an_attackers_form_stays_within_budget(app: Flask, world: World, attack: str) -> None:
    """Each form the pages show, every field at once bent one way (its offered value, else a well-formed one)."""
    staff = [(f, "admin") for f in world.officer_forms] + [(f, "responder") for f in world.responder_forms]
    forms = [(f, "anyone") for f in world.public_forms] + [
        (f, who) for f, who in staff if _endpoint(app, f) not in SESSION_ENDERS
    ]
    for form, who in forms:
        client = client_as(app, world.cookies, who)
        if _endpoint(app, form) == "public.platform_review":
            opened = at_platform_stage(world.platform(), PlatformStage.ANSWERED, consent_publish=True)
        else:
            opened = ComplaintFactory(status="needs_info", consent_publish=True)
        open_status_page(client, opened.id)
        pairs: list[tuple[str, Value]] = [
            (name, attacked(offered[0] if offered else WELL_FORMED_FOR.get(name, "12"), attack))
            for name, offered in sorted(form.fields.items())
        ]
        _check_as(who, send(client, form.method, form.path, pairs), (attack, form.method, form.path))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "application/json",
            "text/plain; charset=gb18030",
        ]
    ),
)
@example(body=b"0", content_type="application/json")  # JSON that is not an object: was a 500 in Flask-WTF
@example(body=b'{"narrative": "a\\u0000b"}', content_type="application/json")  # NUL inside JSON
def test_a_garbled_request_body_gives_no_server_error(
    client: FlaskClient, no_limits: None, body: bytes, content_type: str
) -> None:
    for path in ("/complaints/new", "/status", "/officer/sign-in"):
        _check(client.post(path, data=body, content_type=content_type).status_code, (path, body, content_type))


@pytest.mark.parametrize("path", ["/complaints/new", "/status/complaint/information"])
def test_a_field_larger_than_the_form_memory_limit_is_refused_plainly(
    client: FlaskClient, no_limits: None, path: str
) -> None:
    open_status_page(client, ComplaintFactory().id)
    response = client.post(path, data={"narrative": "x", "text": "催" * 400_000}, content_type="multipart/form-data")
    assert response.status_code == 413, response.status_code
