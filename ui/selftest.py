"""`run_self_test() -> int` (`python -m lianxuntong --self-test`): a headless end-to-end check of one laptop.

A fresh temporary store is created and migrated, the reference platform is started in-process, an officer
signs in (tokens go to an in-memory keyring for the duration, never the real one), syncs, accepts a task and
imports an evidence file, syncs again, checks the platform holds the new status, renders a document to PDF and
verifies the audit chain and the evidence. Each step is printed; the exit code is 0, or the number of the
first failing step (its name is printed).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

OFFICER = ("xindeng.officer", "demo2026")


class _MemoryKeyring:
    """Keeps the self-test's tokens out of the user's real keyring."""

    def __init__(self) -> None:
        from keyring.backend import KeyringBackend
        from keyring.errors import PasswordDeleteError

        items: dict[tuple[str, str], str] = {}

        class Backend(KeyringBackend):
            priority = 1

            def get_password(self, service: str, username: str) -> str | None:
                return items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                if items.pop((service, username), None) is None:
                    raise PasswordDeleteError("not found")

        self.backend = Backend()


class SelfTest:
    def __init__(self, root: Path, out: Callable[[str], None] = print) -> None:
        self.root = root
        self.out = out
        self.state: dict[str, Any] = {}

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("创建临时数据目录并迁移数据库", self.open_store),
            ("启动内置参考平台", self.start_platform),
            ("以 xindeng.officer 登录", self.sign_in),
            ("首次同步", self.first_sync),
            ("签收一条任务", self.accept_task),
            ("记录一次小型检查并导入一个证据文件", self.import_evidence),
            ("同步修改并上传证据", self.second_sync),
            ("核对平台上的任务状态", self.check_platform),
            ("生成 PDF 文书", self.render_pdf),
            ("校验审计链与证据文件", self.verify),
            ("核对数据库与证据文件均已加密", self.check_encrypted),
        ]

    def run(self) -> int:
        steps = self.steps()
        for number, (name, fn) in enumerate(steps, 1):
            started = time.perf_counter()
            self.out(f"[{number}/{len(steps)}] {name} …")
            try:
                detail = fn()
            except Exception as exc:
                self.out(f"    失败：{type(exc).__name__}: {exc}")
                self.out("".join(traceback.format_exception(exc)).rstrip())
                self.out(f"自检失败：第 {number} 步「{name}」")
                return number
            self.out(f"    通过（{time.perf_counter() - started:.2f} 秒）{'：' + detail if detail else ''}")
        self.out("自检通过")
        return 0

    # ---- steps -------------------------------------------------------------------------------------------

    def open_store(self) -> str:
        from app.db.migrate import current_revision
        from app.paths import DataPaths
        from app.store import Store

        store = Store.open(DataPaths(self.root / "client"))
        self.state["store"] = store
        return f"数据结构版本 {current_revision(store.engine)}"

    def start_platform(self) -> str:
        from sync.server.embedded import start_server

        server = start_server(self.root / "platform", port=0, seed_demo=True)
        self.state["server"] = server
        return server.url

    def sign_in(self) -> str:
        from ui import session as sess

        auth = sess.login(self.state["store"], self.state["server"].url, *OFFICER)
        self.state["auth"] = auth
        user = auth.current_user()
        self.state["user"] = user
        return f"{user.name}（{user.role.label}）"

    def _sync(self) -> Any:
        from sync.engine import SyncEngine

        report = SyncEngine(self.state["store"], self.state["auth"]).sync_once()
        if not report.ok:
            raise RuntimeError("；".join(report.errors))
        return report

    def first_sync(self) -> str:
        from app.readmodels.task_inbox import TaskFilter, count_tasks

        report = self._sync()
        with self.state["store"].read() as session:
            n = count_tasks(session, TaskFilter())
        if n == 0:
            raise RuntimeError("同步后本机没有任务")
        return f"收到 {report.pulled} 条变更，本机任务 {n} 条"

    def _team_tasks(self, status: str | None = None) -> Iterator[Any]:
        """This team's tasks (with status `status`), by number as the inbox sorts them, loaded one by one."""
        from app.readmodels.task_inbox import Sort, TaskFilter, query_ids
        from app.services.tasks import TaskService

        store, user = self.state["store"], self.state["user"]
        with store.read() as session:
            ids = query_ids(session, TaskFilter(status=status), Sort("number"))
        service = TaskService(store, user)
        return (t for t in map(service.get, ids) if t.township_id == user.township_id)

    def accept_task(self) -> str:
        from app.rules.task_states import TaskAction
        from app.services.tasks import TaskService

        store, user = self.state["store"], self.state["user"]
        task = next(self._team_tasks("pending"), None)
        if task is None:
            raise RuntimeError("没有待签收的任务")
        TaskService(store, user).apply(task.id, TaskAction.ACCEPT)
        self.state["task"] = task
        return f"{task.number} {task.title}"

    def _inspectable_task(self, service: Any) -> Any:
        """A task the officer may inspect on its own (app.rules.inspection_basis: an open 核查 / 投诉举报 task
        assigned to them), the one just accepted when it qualifies."""
        from app.services.tasks import TaskService

        accepted = TaskService(self.state["store"], self.state["user"]).get(self.state["task"].id)
        task = next((t for t in chain([accepted], self._team_tasks()) if service.task_basis(t).ok), None)
        if task is None:
            raise RuntimeError("没有可据以检查的任务（指派给本人的核查或投诉举报任务）")
        return task

    def import_evidence(self) -> str:
        """Start an inspection from the accepted task, fill the basics, answer one checklist item and attach a
        photo to it: the officer's everyday path through app.inspections."""
        from datetime import UTC, datetime

        from PIL import Image

        from app.inspections.service import InspectionService

        store, user = self.state["store"], self.state["user"]
        service = InspectionService(store, user)
        task = self._inspectable_task(service)
        inspection_id = service.start_from_task(task.id)
        service.save_fields(inspection_id, place="自检现场", started_at=datetime.now(UTC))
        snapshot = service.load(inspection_id)
        items = [item for group in snapshot.groups for item in group.items]
        if not items:
            raise RuntimeError("检查表为空")
        service.answer(inspection_id, items[0].key, "compliant", "自检：符合")
        path = self.root / "现场照片.png"
        Image.new("RGB", (320, 240), (90, 140, 200)).save(path)
        evidence_id, _duplicate = service.import_evidence(inspection_id, path, item_key=items[0].key)
        answered = service.load(inspection_id).answers
        if items[0].key not in answered:
            raise RuntimeError("检查项答复未保存")
        self.state["inspection_id"] = inspection_id
        return f"检查 {len(items)} 项，已答 1 项，证据 {evidence_id[:8]}（{path.stat().st_size} 字节）"

    def second_sync(self) -> str:
        report = self._sync()
        if report.pushed < 2 or report.uploads_done < 1:
            raise RuntimeError(f"上传不完整：提交 {report.pushed} 条，证据 {report.uploads_done} 个")
        return f"提交 {report.pushed} 条修改，上传 {report.uploads_done} 个证据文件"

    def check_platform(self) -> str:
        record = self.state["server"].record_data("task", self.state["task"].id)
        status = record.get("status") if record is not None else None
        if status != "accepted":
            raise RuntimeError(f"平台上的任务状态为 {status!r}，应为 accepted")
        return "平台显示：已签收"

    def render_pdf(self) -> str:
        from ui.selftest_pdf import render_task_pdf

        out = self.root / "selftest.pdf"
        how = render_task_pdf(self.state["store"], self.state["task"].id, out)
        data = out.read_bytes()
        if not data.startswith(b"%PDF") or len(data) < 1000:
            raise RuntimeError("PDF 文件无效")
        return f"{how}，{len(data) // 1024} KB"

    def verify(self) -> str:
        from app.verify import run_verify

        result = run_verify(self.state["store"])
        if not result.ok:
            raise RuntimeError("；".join(p.message for p in result.problems))
        return f"数据库完好，审计记录 {result.audit_rows} 条完好，证据文件 {result.blobs} 个完好"

    def check_encrypted(self) -> str:
        from app.crypto.check import check_encrypted

        return check_encrypted(self.state["store"])

    def close(self) -> None:
        store, server = self.state.get("store"), self.state.get("server")
        if store is not None:
            store.close()
        if server is not None:
            server.stop()


def run_self_test(out: Callable[[str], None] = print) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring

    from ui.theme import make_application

    make_application([sys.argv[0], "-platform", os.environ["QT_QPA_PLATFORM"]])
    previous = keyring.get_keyring()
    keyring.set_keyring(_MemoryKeyring().backend)
    root = Path(tempfile.mkdtemp(prefix="lianxuntong-selftest-"))
    test = SelfTest(root, out)
    try:
        return test.run()
    finally:
        test.close()
        keyring.set_keyring(previous)
        shutil.rmtree(root, ignore_errors=True)
