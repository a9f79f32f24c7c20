"""Command-line entry and composition root.

Headless commands (`seed`, `verify`) run from `app` alone. The GUI, demo mode and self-test are reached through
lazy imports of `ui` (and `sync`) inside this module — the one place in `app` allowed to look upward.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import APP_NAME, __version__
from app.errors import StoreError
from app.paths import resolve_data_dir


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app", description=f"{APP_NAME} {__version__}")
    p.add_argument("--data-dir", help="数据目录（默认为当前用户的应用数据目录，或环境变量 LXT_DATA_DIR）")
    p.add_argument("--demo", action="store_true", help="演示模式：临时数据目录 + 内置参考平台 + 演示数据")
    p.add_argument("--self-test", action="store_true", help="无界面自检，失败时以非零退出码报告失败步骤")
    p.add_argument("--server", help="平台地址（默认取上次登录的地址）")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = p.add_subparsers(dest="command")

    seed = sub.add_parser("seed", help="用演示辖区数据填充本地数据库")
    seed.add_argument("--data-dir", dest="sub_data_dir")
    seed.add_argument("--tasks", type=int, default=200, help="任务数（默认 200）")
    seed.add_argument("--findings", type=int, default=0, help="额外生成的检查发现数（用于性能测试）")

    verify = sub.add_parser("verify", help="校验审计链与证据文件，发现损坏时以非零退出码退出")
    verify.add_argument("--data-dir", dest="sub_data_dir")

    verify_doc = sub.add_parser(
        "verify-doc", help="核验文书 PDF 是否真实、未被改动（真实为 0，被改动或无法确认为 1）"
    )
    verify_doc.add_argument("file", help="文书 PDF 文件")
    verify_doc.add_argument("--data-dir", dest="sub_data_dir", help="与该数据目录中的文书登记核对")
    verify_doc.add_argument("--server", dest="sub_server", help="向该平台地址的文书核验接口核对")

    samples = sub.add_parser("render-samples", help="用演示辖区数据为每种文书生成一份填好的样例 PDF")
    samples.add_argument("--out", required=True, help="输出目录")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir
    try:
        if args.command == "seed":
            return cmd_seed(data_dir, args.tasks, args.findings)
        if args.command == "verify":
            return cmd_verify(data_dir)
        if args.command == "verify-doc":
            return cmd_verify_doc(args.file, data_dir, getattr(args, "sub_server", None) or args.server)
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


def cmd_verify(data_dir: str | None) -> int:
    from app import audit, replica
    from app.evidence_store import verify_blobs
    from app.store import Store

    store = Store.open(resolve_data_dir(data_dir))
    try:
        with store.read() as session:
            chain = audit.verify_chain(session)
            replica_lines = replica.describe(replica.last_check(session))
        blobs, problems = verify_blobs(store)
    finally:
        store.close()
    ok = chain.ok and not problems
    print(f"审计链：已校验 {chain.checked} 条" + ("，完好" if chain.ok else f"，损坏：{chain.problem}"))
    print(f"证据文件：已校验 {blobs} 个" + ("，完好" if not problems else f"，{len(problems)} 个有问题"))
    for p in problems:
        print(f"  {p.message}")
    for line in replica_lines:  # the last sync's comparison with the platform (sync.replica)
        print(line)
    return 0 if ok else 1


def cmd_verify_doc(file: str, data_dir: str | None, server: str | None) -> int:
    """Exit 0 when the PDF is genuine and unaltered (confirmed by the local store and/or the platform)."""
    from pathlib import Path

    from app.documents.verify import verify_file
    from app.store import Store

    store = None
    if data_dir:
        paths = resolve_data_dir(data_dir)
        if paths.db.exists():
            store = Store.open(paths)
        else:
            print(f"· 数据目录中没有数据文件：{paths.db}")
    try:
        verdict = verify_file(Path(file), store=store, server=server)
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
