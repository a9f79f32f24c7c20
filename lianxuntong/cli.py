"""Command-line entry and composition root.

Headless commands (`seed`, `verify`, …) run from `app` alone; `verify-doc --server` asks the platform through
`sync`; the GUI, demo mode, self-test and sample rendering are `ui`. Those are imported lazily inside the
command that needs them, so that `--help` and the headless commands never load Qt or the network stack.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from app import APP_NAME, __version__
from app.errors import StoreError
from app.paths import resolve_data_dir


class _ChineseHelp(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


#: argparse's own messages (Python 3.11–3.13 wording) → Chinese; anything else is shown as argparse wrote it
_ERRORS = (
    ("the following arguments are required: ", "缺少必需的参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选择："),
    ("(choose from ", "（可选："),
    ("expected one argument", "需要一个参数值"),
    ("invalid int value: ", "不是有效的整数："),
    ("argument ", "参数 "),
)


class ChineseParser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage prefix, section titles, -h/--version help and error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ERRORS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="python -m lianxuntong", description=f"{APP_NAME} {__version__} — 乡镇联合巡查执法客户端")
    p.add_argument(
        "--data-dir", metavar="目录", help="数据目录（默认为当前用户的应用数据目录，或环境变量 LXT_DATA_DIR）"
    )
    p.add_argument("--demo", action="store_true", help="演示模式：临时数据目录 + 内置参考平台 + 演示数据")
    p.add_argument("--self-test", action="store_true", help="无界面自检，失败时以非零退出码报告失败步骤")
    p.add_argument("--server", metavar="地址", help="平台地址（默认取上次登录的地址）")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(
        title="命令",
        dest="command",
        metavar="命令",
        help="以下之一；不写命令时打开图形界面",
        parser_class=ChineseParser,
    )

    seed = sub.add_parser("seed", help="用演示辖区数据填充本地数据库", description="用演示辖区数据填充本地数据库")
    seed.add_argument("--data-dir", dest="sub_data_dir", metavar="目录", help="数据目录")
    seed.add_argument("--tasks", type=int, default=200, metavar="数量", help="任务数（默认 200）")
    seed.add_argument(
        "--findings", type=int, default=0, metavar="数量", help="额外生成的检查发现数（用于性能测试）"
    )

    text = ("校验数据库文件、审计链与平台锚点、全部证据文件；退出码：0 完好，1 审计链/锚点损坏，"
            "4 证据损坏，8 数据库文件损坏（可叠加），2 无法打开")
    verify = sub.add_parser("verify", help=text, description=text)
    verify.add_argument("--data-dir", dest="sub_data_dir", metavar="目录", help="数据目录")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出（供诊断包和脚本使用）")

    text = "导出审计链各条的序号与哈希（供平台管理员用锚点核对）"
    heads = sub.add_parser("audit-heads", help=text, description=text)
    heads.add_argument("--data-dir", dest="sub_data_dir", metavar="目录", help="数据目录")
    heads.add_argument("--out", required=True, metavar="文件", help="输出 JSON 文件")

    text = "核验文书 PDF 是否真实、未被改动（真实为 0，被改动或无法确认为 1）"
    verify_doc = sub.add_parser("verify-doc", help=text, description=text)
    verify_doc.add_argument("file", metavar="文件", help="文书 PDF 文件")
    verify_doc.add_argument(
        "--data-dir", dest="sub_data_dir", metavar="目录", help="与该数据目录中的文书登记核对"
    )
    verify_doc.add_argument("--server", dest="sub_server", metavar="地址", help="向该平台地址的文书核验接口核对")

    text = "数据文件损坏时从最新的可用备份恢复（损坏的文件另存保留，备份不会被改动）"
    restore = sub.add_parser("restore-backup", help=text, description=text)
    restore.add_argument("--data-dir", dest="sub_data_dir", metavar="目录", help="数据目录")

    text = "管理员操作：平台更换审计签名密钥后，删除本机钥匙串中记录的旧公钥（下次同步时重新记录）"
    repin = sub.add_parser("forget-platform-key", help=text, description=text)
    repin.add_argument("--server", dest="sub_server", required=True, metavar="地址", help="平台地址")

    text = "轮换本机数据密钥在系统钥匙串中的包装密钥（数据与恢复口令不变）"
    rotate = sub.add_parser("rotate-key", help=text, description=text)
    rotate.add_argument("--data-dir", dest="sub_data_dir", metavar="目录", help="数据目录")

    text = "用演示辖区数据为每种文书生成一份填好的样例 PDF"
    samples = sub.add_parser("render-samples", help=text, description=text)
    samples.add_argument("--out", required=True, metavar="目录", help="输出目录")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir
    try:
        if args.command == "seed":
            return cmd_seed(data_dir, args.tasks, args.findings)
        if args.command == "verify":
            return cmd_verify(data_dir, as_json=args.json)
        if args.command == "audit-heads":
            return cmd_audit_heads(data_dir, args.out)
        if args.command == "verify-doc":
            return cmd_verify_doc(args.file, data_dir, getattr(args, "sub_server", None) or args.server)
        if args.command == "forget-platform-key":
            from app import audit_keys

            audit_keys.forget_platform_key(args.sub_server)
            print(f"已删除平台 {args.sub_server} 的审计签名公钥记录；下次同步时将重新记录（请先与管理员核实新密钥）")
            return 0
        if args.command == "restore-backup":
            return cmd_restore_backup(data_dir)
        if args.command == "rotate-key":
            return cmd_rotate_key(data_dir)
        if args.command == "render-samples":
            from ui.documents.samples import render_samples

            return render_samples(args.out)
        if args.self_test:
            from ui.selftest import run_self_test

            return run_self_test()
        from ui.main import run_gui

        return run_gui(data_dir=data_dir, demo=args.demo, server=args.server)
    except StoreError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        if exc.code == "damaged":
            print("恢复方法：python -m lianxuntong restore-backup" + (f" --data-dir {data_dir}" if data_dir else ""),
                  file=sys.stderr)
        return 2


def cmd_seed(data_dir: str | None, tasks: int, findings: int) -> int:
    from app.demo.dataset import build_dataset
    from app.demo.seed import seed_store
    from app.store import Store

    store = Store.open(resolve_data_dir(data_dir))
    try:
        counts = seed_store(store, build_dataset(tasks=min(tasks, 200)))
        if tasks > 200 or findings:
            from app.demo.scale import add_volume

            add_volume(store, tasks=max(tasks - 200, 0), findings=findings)
        print(f"已写入演示数据：{store.paths.db}")
        for entity, n in counts.items():
            print(f"  {entity}: {n}")
    finally:
        store.close()
    return 0


def cmd_restore_backup(data_dir: str | None) -> int:
    from app.db.restore import restore_newest_backup

    restored = restore_newest_backup(resolve_data_dir(data_dir))
    print(f"已从备份恢复：{restored.backup}")
    if restored.damaged_aside is not None:
        print(f"损坏的数据文件已另存为：{restored.damaged_aside}")
    return 0


def cmd_rotate_key(data_dir: str | None) -> int:
    from app.crypto import keys
    from app.store import Store

    store = Store.open(resolve_data_dir(data_dir))
    try:
        generation = keys.rotate(store.paths, keys.keys_for(store.paths.root))
    finally:
        store.close()
    print(f"已更换系统钥匙串中的包装密钥（第 {generation} 代）；数据与恢复口令不变")
    return 0


def cmd_verify(data_dir: str | None, *, as_json: bool = False) -> int:
    """Check everything (`app.verify`); the exit code says what kind of damage was found."""
    from app.store import Store
    from app.verify import run_verify

    store = Store.open(resolve_data_dir(data_dir))
    try:
        result = run_verify(store)
    finally:
        store.close()
    if as_json:
        print(result.to_json())
    else:
        for line in result.lines():
            print(line)
    return result.exit_code


def cmd_audit_heads(data_dir: str | None, out: str) -> int:
    import json
    from pathlib import Path

    from sqlalchemy import select

    from app import audit
    from app.models import AuditEvent
    from app.store import Store

    store = Store.open(resolve_data_dir(data_dir))
    try:
        with store.read() as session:
            chain_id, _key = audit.chain_info(session)
            heads = [{"seq": seq, "hash": h} for seq, h in session.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq))]
    finally:
        store.close()
    Path(out).write_text(json.dumps({"chain_id": chain_id, "heads": heads}, ensure_ascii=False), encoding="utf-8")
    print(f"已导出 {len(heads)} 条审计链头：{out}")
    return 0


def cmd_verify_doc(file: str, data_dir: str | None, server: str | None) -> int:
    """Exit 0 when the PDF is genuine and unaltered (confirmed by the local store and/or the platform)."""
    from pathlib import Path

    from app.documents.verify import verify_file
    from app.store import Store
    from sync.document_verify import platform_check

    store = None
    if data_dir:
        paths = resolve_data_dir(data_dir)
        if paths.db.exists():
            store = Store.open(paths)
        else:
            print(f"· 数据目录中没有数据文件：{paths.db}")
    try:
        verdict = verify_file(Path(file), store=store, platform=platform_check(server) if server else None)
    finally:
        if store is not None:
            store.close()
    for line in verdict.lines:
        print(line)
    if verdict.genuine:
        print("结论：真实有效，未被改动")
    else:
        print("结论：无法确认为真实有效的文书（可能被改动、已作废或未登记）")
    return 0 if verdict.genuine else 1
