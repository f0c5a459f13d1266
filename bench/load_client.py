"""What a consumer and a statistics reader send in the load test, shared by locust and the CI test.

Everything here is fictional: invented platforms (the demo data's 虚构…/示例… names), invented
narratives, generated PNG/JPEG screenshots. Each simulated consumer comes from its own address,
sent as X-Forwarded-For to a server started with PROXY_FIX_HOPS=1, as a reverse proxy would: the
per-address rate limits stay on and hold, as they would with real consumers from many addresses.
"""

from __future__ import annotations

import io
import random
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from PIL import Image

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECEIPT_REFERENCE = re.compile(r'id="receipt-reference">([^<]+)<')
RECEIPT_CODE = re.compile(r'id="receipt-code">([^<]+)<')

VIOLATIONS = ["THR-01", "THR-02", "TP-01", "TP-02", "ABU-01", "FRQ-01", "IMP-02", "TIM-01"]
CHANNELS = ["call", "sms", "messaging_app"]
THIRD_PARTIES = ["family", "contacts_list", "employer"]
STAGES = ["reminder", "outsourced", "legal"]
NARRATIVES = [
    "从九月开始，催收人员每天打三十多个电话，威胁要上门，还给我通讯录里的亲戚发短信。",
    "对方自称律师，说不还钱就起诉并通知我的单位，还在晚上十一点以后打电话。",
    "他们把我的照片做成通缉令样式发到家族群里，骂得很难听。",
    "Collectors called my parents and my manager every day and said I would be arrested.",
]
FALLBACK_PLATFORMS = ["虚构速贷", "虚构分期", "示例借条通", "演示快钱"]

#: Prefix of the simulated consumers' addresses: the IPv6 documentation range, never routed anywhere.
ADDRESS_PREFIX = "2001:db8"


def address_for(user: int, visit: int) -> str:
    """The address of one visit of one simulated person (an IPv6 documentation address)."""
    return f"{ADDRESS_PREFIX}:{user // 65536:x}:{user % 65536:x}::{visit:x}"


def evidence_image(seed: int) -> tuple[str, bytes, str]:
    """A small generated screenshot, different for every seed (so files are not de-duplicated)."""
    rng = random.Random(seed)
    color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    image = Image.new("RGB", (48 + seed % 16, 36), color)
    out = io.BytesIO()
    if seed % 2:
        image.save(out, format="PNG")
        return f"截图{seed}.png", out.getvalue(), "image/png"
    image.save(out, format="JPEG", quality=80)
    return f"photo-{seed}.jpg", out.getvalue(), "image/jpeg"


def complaint_form(rng: random.Random, platforms: Sequence[str], token: str) -> list[tuple[str, str]]:
    """A complete, valid complaint as the browser posts it (repeated keys for the ticked boxes)."""
    ticked = rng.sample(VIOLATIONS, rng.randint(1, 3))
    form = [
        ("csrf_token", token),
        ("platform", rng.choice(list(platforms) or FALLBACK_PLATFORMS)),
        ("collector_kind", rng.choice(["agency", "law_firm", "unknown"])),
        ("collector_name", f"虚构催收{rng.randint(1, 29)}号公司"),
        ("collector_phones", f"1380013{rng.randint(8000, 8999)}"),
        ("primary_violation", ticked[0]),
        ("calls_per_day", str(rng.randint(1, 60))),
        ("first_incident_on", "2026-09-01"),
        ("last_incident_on", "2026-10-15"),
        ("amount_owed", f"{rng.randint(100, 50000)}.50"),
        ("days_overdue", str(rng.randint(1, 400))),
        ("stage", rng.choice(STAGES)),
        ("province", rng.choice(["", "11", "31", "44", "51"])),
        ("narrative", rng.choice(NARRATIVES)),
        ("desired_outcome", "停止骚扰我的家人。"),
        ("website", ""),
    ]
    form += [("violations", code) for code in ticked]
    form += [("channels", c) for c in rng.sample(CHANNELS, rng.randint(1, 2))]
    form += [("third_parties", t) for t in rng.sample(THIRD_PARTIES, rng.randint(0, 2))]
    return form


def csrf_token(page: str) -> str | None:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(page)
    return found.group(1) if found else None


def receipt_of(page: str) -> tuple[str, str] | None:
    """Reference and access code from the receipt page."""
    reference, code = RECEIPT_REFERENCE.search(page), RECEIPT_CODE.search(page)
    if not (reference and code):
        return None
    return reference.group(1).strip(), code.group(1).strip()


def reader_paths(platform_ids: Sequence[int], year: str) -> list[tuple[str, str]]:
    """What a statistics reader opens: (request name for the report, path)."""
    paths = [
        ("GET /statistics/", "/statistics/"),
        ("GET /statistics/ (year)", f"/statistics/?period={year}"),
        ("GET /statistics/platforms.csv", "/statistics/platforms.csv"),
        ("GET /statistics/violation/<code>", "/statistics/violation/TP-01"),
        ("GET /statistics/data/counts-platform.csv", f"/statistics/data/counts-platform.csv?period={year}&every=month"),
    ]
    paths += [("GET /statistics/platform/<id>", f"/statistics/platform/{pid}") for pid in platform_ids[:5]]
    return paths


@dataclass
class Verification:
    """How many receipts opened their complaint's status page, and what went wrong for the others."""

    opened: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def open_status(base: str, reference: str, code: str, address: str, timeout: float = 120) -> str | None:
    """Look a complaint up as its consumer does; None when its status page opens, else what failed."""
    with requests.Session() as session:
        session.headers["X-Forwarded-For"] = address
        form = session.get(f"{base}/status", timeout=timeout)
        token = csrf_token(form.text)
        if form.status_code != 200 or token is None:
            return f"GET /status {form.status_code}"
        answer = session.post(
            f"{base}/status",
            data={"csrf_token": token, "reference": reference, "access_code": code},
            allow_redirects=False,
            timeout=timeout,
        )
        if answer.status_code != 303:
            return f"POST /status {answer.status_code}"
        page = session.get(f"{base}/status/complaint", timeout=timeout)
        if page.status_code != 200 or reference not in page.text:
            return f"GET /status/complaint {page.status_code}"
    return None


def verify_receipts(base: str, receipts: Sequence[tuple[str, str]], threads: int = 8) -> Verification:
    """Open every receipt's status page (each look-up from its own address, as consumers do)."""
    result = Verification()

    def check(numbered: tuple[int, tuple[str, str]]) -> None:
        index, (reference, code) = numbered
        try:
            problem = open_status(base, reference, code, address_for(900_000 + index, 1))
        except requests.RequestException as error:
            problem = type(error).__name__
        with result.lock:
            if problem is None:
                result.opened += 1
            else:
                result.failures.append((reference, problem))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(check, enumerate(receipts)))
    return result


@dataclass
class FilingRun:
    """What a run of simulated consumers got: receipts, and every answer by request and status."""

    receipts: list[tuple[str, str]] = field(default_factory=list)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: (monotonic time of the answer, request, status; 0 when no answer came)
    answers: list[tuple[float, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, name: str, status: int) -> None:
        with self.lock:
            by_status = self.statuses.setdefault(name, {})
            by_status[status] = by_status.get(status, 0) + 1
            self.answers.append((time.monotonic(), name, status))

    def server_errors(self) -> int:
        return sum(n for by_status in self.statuses.values() for status, n in by_status.items() if status >= 500)


def file_one(
    session: requests.Session,
    base: str,
    rng: random.Random,
    platforms: Sequence[str],
    seed: int,
    run: FilingRun,
    timeout: float = 120,
) -> None:
    """One consumer's visit: the form, the filing with one screenshot, the receipt."""
    form = session.get(f"{base}/complaints/new", timeout=timeout)
    run.count("GET /complaints/new", form.status_code)
    token = csrf_token(form.text)
    if form.status_code != 200 or token is None:
        run.problems.append(f"form {form.status_code}")
        return
    name, content, mime = evidence_image(seed)
    answer = session.post(
        f"{base}/complaints/new",
        data=complaint_form(rng, platforms, token),
        files=[("evidence", (name, content, mime))],
        allow_redirects=False,
        timeout=timeout,
    )
    run.count("POST /complaints/new", answer.status_code)
    if answer.status_code != 303:
        run.problems.append(f"filing {answer.status_code}")
        return
    page = session.get(f"{base}/complaints/receipt", timeout=timeout)
    run.count("GET /complaints/receipt", page.status_code)
    receipt = receipt_of(page.text)
    if receipt is None:
        run.problems.append(f"receipt {page.status_code}")
        return
    with run.lock:
        run.receipts.append(receipt)


def file_complaints(base: str, users: int, seconds: float, platforms: Sequence[str], think: float = 0.2) -> FilingRun:
    """`users` consumers in threads, each filing one complaint after another until the time is up.

    A visit that has started is finished (its receipt kept), so no complaint is cut off half-way.
    """
    run = FilingRun()
    deadline = threading.Event()

    def consumer(user: int) -> None:
        rng = random.Random(user)
        visit = 0
        while not deadline.is_set():
            visit += 1
            with requests.Session() as session:
                session.headers["X-Forwarded-For"] = address_for(user, visit)
                session.headers["Accept-Language"] = "zh-CN" if user % 2 else "en"
                try:
                    file_one(session, base, rng, platforms, user * 10_000 + visit, run)
                except requests.RequestException as error:
                    run.count("no answer", 0)
                    run.problems.append(type(error).__name__)
            deadline.wait(think)

    timer = threading.Timer(seconds, deadline.set)
    timer.start()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(consumer, range(users)))
    timer.cancel()
    return run
