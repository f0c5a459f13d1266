"""The lifecycle of DOMAIN.md written out by hand, so tests check the code's RULES against it (never derive it)."""

from __future__ import annotations

from complaints.casework.lifecycle import Action
from complaints.models import ComplaintStatus, Resolution

S = ComplaintStatus

#: Status × action → the status it leads to. Every pair not listed here is refused.
TRANSITIONS: dict[tuple[ComplaintStatus, Action], ComplaintStatus] = {
    (S.SUBMITTED, Action.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, Action.REQUEST_INFO): S.NEEDS_INFO,
    (S.SUBMITTED, Action.REJECT): S.CLOSED,
    (S.SUBMITTED, Action.MARK_DUPLICATE): S.CLOSED,
    (S.SUBMITTED, Action.WITHDRAW): S.CLOSED,
    (S.NEEDS_INFO, Action.ANSWER_INFO): S.SUBMITTED,
    (S.NEEDS_INFO, Action.REJECT): S.CLOSED,
    (S.NEEDS_INFO, Action.MARK_DUPLICATE): S.CLOSED,
    (S.NEEDS_INFO, Action.WITHDRAW): S.CLOSED,
    (S.ACCEPTED, Action.REFER): S.REFERRED,
    (S.ACCEPTED, Action.CLOSE): S.CLOSED,
    (S.ACCEPTED, Action.MARK_DUPLICATE): S.CLOSED,
    (S.ACCEPTED, Action.WITHDRAW): S.CLOSED,
    (S.REFERRED, Action.REFER): S.REFERRED,
    (S.REFERRED, Action.CLOSE): S.CLOSED,
    (S.REFERRED, Action.MARK_DUPLICATE): S.CLOSED,
    (S.REFERRED, Action.WITHDRAW): S.CLOSED,
}

#: The resolutions each closing action may end with; the other actions carry none.
RESOLUTIONS: dict[Action, frozenset[Resolution]] = {
    Action.REJECT: frozenset(
        {Resolution.REJECTED_OUT_OF_SCOPE, Resolution.REJECTED_INSUFFICIENT, Resolution.REJECTED_SPAM}
    ),
    Action.CLOSE: frozenset({Resolution.RESOLVED, Resolution.REGULATOR_ACTION, Resolution.UNRESOLVED}),
    Action.MARK_DUPLICATE: frozenset({Resolution.DUPLICATE}),
    Action.WITHDRAW: frozenset({Resolution.WITHDRAWN}),
}

#: One resolution each action accepts (None for the actions that do not close), for calls that must
#: be refused by the status alone.
VALID_RESOLUTION: dict[Action, Resolution | None] = {
    Action.ACCEPT: None,
    Action.REQUEST_INFO: None,
    Action.ANSWER_INFO: None,
    Action.REJECT: Resolution.REJECTED_SPAM,
    Action.REFER: None,
    Action.CLOSE: Resolution.RESOLVED,
    Action.MARK_DUPLICATE: Resolution.DUPLICATE,
    Action.WITHDRAW: Resolution.WITHDRAWN,
}

#: Every (from, to) pair of status values the table allows.
EDGES: frozenset[tuple[str, str]] = frozenset(
    (source.value, target.value) for (source, _action), target in TRANSITIONS.items()
)
