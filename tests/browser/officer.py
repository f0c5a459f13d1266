"""Steps an officer takes in the workspace, by labels, roles and words; accounts made as `flask create-officer` does."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyotp
from flask import Flask, url_for
from playwright.sync_api import Page, expect

from complaints.accounts import officers as accounts
from complaints.directory.lookup import refresh_search_text
from complaints.extensions import db
from complaints.intake.filing import ComplaintSubmission, file_complaint
from complaints.intake.storage import evidence_store
from complaints.models import Platform, Role
from tests.browser.visit import Visit

HTML_LANG = {"zh_Hans": "zh-Hans", "en": "en"}
BROWSER_LANGUAGE = {"zh_Hans": "zh-CN", "en": "en-US"}
#: A passphrase that passes the policy (12+ characters, not a common password); fictional.
PASSWORD = "lantern-orchid-velvet-42"

#: What the officer pages say, in each language.
OFFICER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "set_up": "Set up your account",
        "qr_code": "QR code for your authenticator app",
        "workspace": "Workspace",
        "new_password": "New password",
        "new_password_again": "New password again",
        "code": "Authenticator code",
        "finish": "Finish setting up",
        "passwords_differ": "The two passwords differ.",
        "ready": "Your account is ready. You are signed in.",
        "sign_in_heading": "Officer sign-in",
        "email": "E-mail",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_in_failed": "Sign-in failed. Check your e-mail, password and code.",
        "sign_out": "Sign out",
        "signed_out": "You are signed out.",
        "queue": "Queue",
        "filter_and_search": "Filter and search",
        "platform": "Platform",
        "violation": "Violation",
        "with_evidence": "With evidence",
        "apply": "Apply",
        "complaints": "Complaints",
        "unverified": "unverified",
        "unverified_platform": "{} (unverified)",
        "complaint": "Complaint",
        "evidence": "Evidence",
        "evidence_image": "Evidence image 1",
        "possible_duplicates": "Possible duplicates",
        "near_identical": "Near-duplicate narrative",
        "compare": "Compare complaints",
        "download": "Download",
        "accept_at_triage": "Accept at triage",
        "main_violation": "Main violation",
        "severity": "Severity",
        "high": "High",
        "evidence_verified_box": "The evidence shows what the complaint says",
        "accept": "Accept",
        "accepted_flash": "Complaint accepted.",
        "accepted": "Accepted",
        "evidence_verified": "Evidence verified",
        "refer_heading": "Refer to a regulator",
        "suggested": "Suggested by the routing rules:",
        "regulator": "Regulator",
        "regulator_reference": "The regulator's reference",
        "record_referral": "Record referral",
        "referral_recorded": "Referral recorded.",
        "referred": "Referred",
        "referral_packet": "Referral packet",
        "packet_heading": "Complaint referral",
        "anonymised": "Anonymised: the complainant did not consent to sharing their identity.",
        "directory": "Directory",
        "platforms": "Platforms",
        "collectors": "Collectors",
        "regulators": "Regulators",
        "routing_rules": "Routing rules",
        "accounts": "Accounts",
        "audit_log": "Audit log",
        "complaint_reference": "Complaint reference",
        "evidence_opened": "Evidence opened",
        "packet_opened": "Referral packet opened",
        "signed_in": "Signed in",
    },
    "zh_Hans": {
        "set_up": "设置您的账号",
        "qr_code": "身份验证器 App 的二维码",
        "workspace": "工作台",
        "new_password": "新密码",
        "new_password_again": "再次输入新密码",
        "code": "身份验证器验证码",
        "finish": "完成设置",
        "passwords_differ": "两次输入的密码不一致。",
        "ready": "您的账号已设置完成，现已登录。",
        "sign_in_heading": "办案人员登录",
        "email": "电子邮箱",
        "password": "密码",
        "sign_in": "登录",
        "sign_in_failed": "登录失败。请检查电子邮箱、密码和验证码。",
        "sign_out": "退出登录",
        "signed_out": "您已退出登录。",
        "queue": "待办队列",
        "filter_and_search": "筛选和搜索",
        "platform": "平台",
        "violation": "违规行为",
        "with_evidence": "有证据",
        "apply": "筛选",
        "complaints": "投诉",
        "unverified": "未核实",
        "unverified_platform": "{}（未核实）",
        "complaint": "投诉",
        "evidence": "证据",
        "evidence_image": "证据图片 1",
        "possible_duplicates": "可能重复的投诉",
        "near_identical": "陈述近似重复",
        "compare": "对比投诉",
        "download": "下载",
        "accept_at_triage": "审核受理",
        "main_violation": "主要违规行为",
        "severity": "紧急程度",
        "high": "高",
        "evidence_verified_box": "证据与投诉内容相符",
        "accept": "受理",
        "accepted_flash": "投诉已受理。",
        "accepted": "已受理",
        "evidence_verified": "证据已核实",
        "refer_heading": "转交监管部门",
        "suggested": "根据转交规则建议：",
        "regulator": "监管部门",
        "regulator_reference": "监管部门的受理编号",
        "record_referral": "记录转交",
        "referral_recorded": "转交已记录。",
        "referred": "已转交",
        "referral_packet": "转交材料",
        "packet_heading": "投诉转交函",
        "anonymised": "已匿名：投诉人未同意提供身份信息。",
        "directory": "名录",
        "platforms": "平台",
        "collectors": "催收方",
        "regulators": "监管部门",
        "routing_rules": "转交规则",
        "accounts": "账号管理",
        "audit_log": "审计日志",
        "complaint_reference": "投诉编号",
        "evidence_opened": "查看了证据",
        "packet_opened": "打开了转交材料",
        "signed_in": "登录",
    },
}


#: Names of the page's visible form controls (label, aria-label or text; hidden context included).
CONTROL_NAMES = """() => Array.from(document.querySelectorAll(
  "main input:not([type=hidden]), main select, main textarea, main button"
)).map(e => {
  const own = e.getAttribute("aria-label") || (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent);
  const group = e.closest("fieldset") ? e.closest("fieldset").querySelector("legend").textContent : "";
  return (group + " / " + own).replace(/\\s+/g, " ").trim();
})"""


def expect_controls_named_apart(visit: Visit, what: str) -> None:
    """No two form controls of the page have the same name, so a screen reader user can tell them apart."""
    names = visit.page.evaluate(CONTROL_NAMES)
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"controls on {what} share a name: {repeated}"


#: Seconds before a step ends in which a code of the previous step is not typed.
STEP_MARGIN_S = 5.0


@dataclass
class Authenticator:
    """The officer's authenticator app: shows the code of a 30-second step for one secret."""

    secret: str
    used_codes: list[str] = field(default_factory=list)

    def code(self, step_offset: int = 0) -> str:
        """The code of the current step (or, with -1, of the step just before, which the server still accepts).

        The server accepts one step either side. A code of the step before, typed in the last
        seconds of a step, would be two steps old when it arrives (a flake seen in CI at hh:mm:29),
        so in those seconds the authenticator waits for the next step, as a person would.
        """
        generator = pyotp.TOTP(self.secret)
        left_in_step = generator.interval - time.time() % generator.interval
        if step_offset < 0 and left_in_step < STEP_MARGIN_S:
            time.sleep(left_in_step + 0.05)
        code = generator.generate_otp(generator.timecode(time.time()) + step_offset)
        self.used_codes.append(code)
        return code


@dataclass
class OfficerVisit:
    """An officer (or supervisor) at a desk, in one language."""

    visit: Visit
    lang: str
    email: str

    @property
    def page(self) -> Page:
        """The officer's browser tab."""
        return self.visit.page

    @property
    def words(self) -> dict[str, str]:
        """What the officer pages say in the officer's language."""
        return OFFICER_WORDS[self.lang]


def create_account(live_app: Flask, email: str, role: Role = Role.OFFICER) -> str:
    """Create an account on the served app as `flask create-officer` does; the path of its enrolment link."""
    with live_app.app_context():
        enrolment = accounts.create_officer(email, role)
        db.session.commit()
        with live_app.test_request_context():
            return url_for("officer.enrol", token=enrolment.token)


def enrolled_account(live_app: Flask, email: str, role: Role) -> Authenticator:
    """An account already set up (as if its owner had enrolled), and its authenticator.

    Enrolled with the previous step's code, which the server accepts, so that the current
    step's code is still unused for the browser's sign-in.
    """
    with live_app.app_context():
        enrolment = accounts.create_officer(email, role)
        authenticator = Authenticator(accounts.pending_totp_secret(enrolment.officer))
        accounts.complete_enrolment(enrolment.officer, PASSWORD, authenticator.code(-1))
        db.session.commit()
    return authenticator


def directory_platform(live_app: Flask, name: str, kind: str = "lending_app") -> int:
    """A verified platform of this name in the directory (what an officer confirmed once); its id."""
    with live_app.app_context():
        platform = Platform(name_zh=name, name_en=name if name.isascii() else "", kind=kind, verified=True)
        refresh_search_text(platform)
        db.session.add(platform)
        db.session.commit()
        return platform.id


def file_twin(live_app: Flask, platform: str, codes: list[str], narrative: str) -> str:
    """A complaint telling the same story, as bulk "anti-collection" services file them (no evidence); its reference."""
    with live_app.app_context():
        submission = ComplaintSubmission(
            platform=platform, violations=codes, primary_violation=codes[-1], narrative=narrative
        )
        receipt = file_complaint(submission, [], evidence_store())
        db.session.commit()
        return receipt.complaint.reference


def enrol(officer: OfficerVisit, enrolment_path: str) -> Authenticator:
    """Open the enrolment link, type the key shown into an authenticator, choose a password, confirm a code.

    The code typed is the one of the previous 30-second step, as when a person types a code just
    after it rolled over: the server accepts it, and the current step's code stays free for signing in.
    """
    page, words = officer.page, officer.words
    officer.visit.goto(enrolment_path)
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[officer.lang])
    expect(page.get_by_role("heading", level=1)).to_have_text(words["set_up"])
    expect(page.get_by_role("img", name=words["qr_code"])).to_be_visible()
    officer.visit.check_accessibility("enrolment")
    authenticator = Authenticator(page.locator("code.totp-secret").inner_text().strip())
    new_password = page.get_by_role("textbox", name=words["new_password"], exact=False).first
    again = page.get_by_role("textbox", name=words["new_password_again"])
    # A slip first: the two passwords differ; the form comes back saying so, with the same key.
    new_password.fill(PASSWORD)
    again.fill(PASSWORD + "!")
    page.get_by_role("button", name=words["finish"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["passwords_differ"])
    expect(page.locator("code.totp-secret")).to_have_text(authenticator.secret)
    officer.visit.check_accessibility("enrolment with an error")
    new_password.fill(PASSWORD)
    again.fill(PASSWORD)
    page.get_by_label(words["code"]).fill(authenticator.code(-1))
    page.get_by_role("button", name=words["finish"]).click()
    expect(page.get_by_text(words["ready"])).to_be_visible()
    return authenticator


def sign_in(officer: OfficerVisit, authenticator: Authenticator, code: str | None = None) -> None:
    """On the sign-in page, type the e-mail, the password and the authenticator's current code."""
    page, words = officer.page, officer.words
    expect(page.get_by_role("heading", level=1)).to_have_text(words["sign_in_heading"])
    page.get_by_label(words["email"]).fill(officer.email)
    page.get_by_label(words["password"], exact=False).first.fill(PASSWORD)
    page.get_by_label(words["code"]).fill(code if code is not None else authenticator.code())
    page.get_by_role("button", name=words["sign_in"], exact=True).click()


def sign_out(officer: OfficerVisit) -> None:
    """Press the navigation's sign-out button (a POST)."""
    page, words = officer.page, officer.words
    page.get_by_role("navigation", name=words["workspace"]).get_by_role("button", name=words["sign_out"]).click()
    expect(page.get_by_text(words["signed_out"])).to_be_visible()
