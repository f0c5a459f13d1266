"""An officer's browser without a browser: a cookie jar, CSRF tokens, and forms submitted as the page offers them.

For the race tests, which need several signed-in officers firing requests at a real server at once.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pyotp

from tests.factories_officer import PASSWORD


@dataclass(frozen=True)
class Answer:
    """A response as the race tests read it."""

    status: int
    location: str
    body: str


@dataclass
class Form:
    """One <form> of a page and the fields a browser would send if nothing were changed."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def filled(self, **values: str) -> list[tuple[str, str]]:
        """The fields to send, with `values` replacing what the page offered."""
        sent = {name: list(offered) for name, offered in self.fields.items()}
        sent.update({name: [value] for name, value in values.items()})
        return [(name, value) for name, offered in sent.items() for value in offered]


class _Forms(HTMLParser):
    """Collects each form's successful controls: checked boxes, the selected option, a textarea's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].fields.setdefault(a["name"], [])
            else:
                self.forms[-1].fields.setdefault(a["name"], []).append(a.get("value", "on"))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1].fields[a["name"]] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, options, selected = self._select
            self.forms[-1].fields[name] = selected or options[:1]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class OfficerBrowser:
    """One officer's session on the server at `base`, in English."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )
        self.opener.addheaders = [("Accept-Language", "en")]

    def request(self, path: str, form: list[tuple[str, str]] | None = None) -> Answer:
        """GET `path`, or POST `form` to it; redirects are answers, not followed."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as answer:
                return Answer(answer.status, answer.headers.get("Location", ""), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers.get("Location", ""), error.read().decode(errors="replace"))

    def form(self, page: str, action_ends_with: str) -> Form:
        """The form on `page` whose action ends so, as the page offers it to this officer."""
        answer = self.request(page)
        assert answer.status == 200, (page, answer.status, answer.body[:300])
        parser = _Forms()
        parser.feed(answer.body)
        found = [f for f in parser.forms if urllib.parse.urlsplit(f.action).path.endswith(action_ends_with)]
        assert len(found) == 1, (page, action_ends_with, [f.action for f in parser.forms])
        return found[0]

    def sign_in(self, email: str, totp_secret: str) -> None:
        """Sign in with the password and the current code (one code opens one session: one officer, one call)."""
        form = self.form("/officer/sign-in", "/officer/sign-in")
        code = pyotp.TOTP(totp_secret).now()
        answer = self.request(form.action, form.filled(email=email, password=PASSWORD, code=code))
        assert answer.status == 303, (answer.status, answer.body[:400])
