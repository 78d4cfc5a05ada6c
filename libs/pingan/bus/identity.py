"""Who a process is on the bus: a NATS user, its password, and the inbox its replies come to."""

from __future__ import annotations

from dataclasses import dataclass, field


def inbox_prefix(user: str) -> str:
    """Replies (JetStream API answers, fetched messages) come to inboxes under this prefix, the
    only subjects besides its streams' that the user may subscribe to."""
    return f"_INBOX_{user}"


@dataclass(frozen=True)
class NatsIdentity:
    user: str
    password: str = field(repr=False)

    @property
    def inbox_prefix(self) -> str:
        return inbox_prefix(self.user)
