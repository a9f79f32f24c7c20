"""A sign-in burst of wrong passwords: the platform answers 429 and the client shows its Chinese message
(how long to wait) instead of "wrong password", storing nothing."""

from __future__ import annotations

from collections.abc import Callable

import keyring
import pytest

from sync.auth import LoginFailed
from sync.credentials import SERVICE
from sync.transport import RateLimited
from tests.sync.helpers import Laptop


def test_too_many_failed_sign_ins_give_the_platforms_chinese_message(
    laptop_factory: Callable[..., Laptop], server
) -> None:
    server.settings.login_failures_per_account = 2
    lap = laptop_factory("a", username=None)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            lap.auth.login("xindeng.leader", "wrong-password")
    with pytest.raises(RateLimited) as err:
        lap.auth.login("xindeng.leader", "wrong-password")
    assert err.value.status == 429 and err.value.code == "too_many_attempts"
    assert "登录失败次数过多" in str(err.value) and "分钟后再试" in str(err.value)
    assert keyring.get_password(SERVICE, f"{lap.transport.base_url}|xindeng.leader") is None
