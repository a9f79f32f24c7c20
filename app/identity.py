"""Who is using the app: the signed-in user as the platform described them (never a token or password)."""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.task_states import Role


@dataclass(frozen=True)
class CurrentUser:
    username: str
    name: str
    role: Role
    township_id: str | None
    officer_id: str | None

    @property
    def actor(self) -> str:
        """How the user appears in audit rows and task events: "姓名（用户名）"."""
        return f"{self.name}（{self.username}）"

    @property
    def is_leader(self) -> bool:
        return self.role is Role.LEADER


SYSTEM = CurrentUser("system", "系统", Role.CENTRE, None, None)
