"""`python -m sync.server --data-dir DIR --port P [--host H] [--db-url URL] [--seed-demo] [--workers N]` serves
the platform (N uvicorn worker processes sharing the database; every piece of shared state — sessions, upload
offsets and leases, rate limits — lives there); `python -m sync.server admin --data-dir DIR [--db-url URL]
<command> …` runs one centre command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sync.server import admin, loops_admin
from sync.server.policy import ROLES
from sync.server.settings import ENV_SETTINGS, ServerSettings

# ---- CLI -------------------------------------------------------------------------------------------------


def build_admin_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create-task", help="派发任务")
    p.add_argument("--township", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--target")
    p.add_argument("--matter", action="append", default=[])
    p.add_argument("--deadline")
    p.add_argument("--priority", type=int, default=3)
    p.add_argument("--source", default="指挥中心")
    p.add_argument("--type", dest="task_type", default="核查")
    p.add_argument("--description", default="")
    p = sub.add_parser("reassign", help="重新派发任务")
    p.add_argument("--task", required=True)
    p.add_argument("--township", required=True)
    p = sub.add_parser("set-deadline", help="修改期限")
    p.add_argument("--task", required=True)
    p.add_argument("--deadline", required=True)
    p = sub.add_parser("set-field", help="修改任务字段（模拟中心编辑）")
    p.add_argument("--task", required=True)
    p.add_argument("--field", required=True)
    p.add_argument("--value", required=True)
    p.add_argument("--json", action="store_true", help="把 --value 当作 JSON 解析")
    p.add_argument("--entity", default="task")
    p = sub.add_parser("close", help="办结任务")
    p.add_argument("--task", required=True)
    p = sub.add_parser("reject", help="驳回任务")
    p.add_argument("--task", required=True)
    p.add_argument("--reason", required=True)
    for name, text in (("empower", "赋权"), ("deempower", "取消赋权")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--township", required=True)
        p.add_argument("--matter", required=True)
        p.add_argument("--effective", help="生效日期 YYYY-MM-DD（默认今天）；各终端自该日起适用新版目录")
    p = sub.add_parser("publish-case-law", help="发布案件配置新版本（听证标准、法制审核、期限）")
    p.add_argument("--file", required=True, type=Path, help="JSON，格式同 resources/config/case_law.json")
    p = sub.add_parser("add-user", help="新增用户")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--township")
    p.add_argument("--name")
    p.add_argument("--officer-id")
    p = sub.add_parser("compact", help="清理旧删除记录并提高游标下限")
    p.add_argument("--keep-last", type=int, required=True)
    p = sub.add_parser("delete", help="删除记录（发布删除标记）")
    p.add_argument("--entity", required=True)
    p.add_argument("--id", required=True)
    loops_admin.add_parsers(sub)
    p = sub.add_parser("verify-chain", help="用平台登记的审计锚点核对一台设备的审计链（数据文件副本或导出的链头）")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--db", type=Path, help="设备数据文件（lianxuntong.db）的副本")
    src.add_argument("--heads", type=Path, help="设备导出的链头 JSON（python -m lianxuntong audit-heads）")
    p.add_argument("--chain-id", help="审计链标识（默认取副本或导出文件中的）")
    p = sub.add_parser("revoke-device", help="注销设备（丢失的笔记本）：先收集后擦除，或立即擦除")
    p.add_argument("--device", required=True, help="设备标识（device_id）")
    p.add_argument("--mode", required=True, choices=("collect", "wipe"),
                   help="collect：允许该设备再上传一次待同步记录后擦除；wipe：立即擦除")
    p.add_argument("--reason", default="", help="注销原因（记入平台审计）")
    p = sub.add_parser("device-events", help="列出一台设备的注销、拒绝、收集、擦除记录")
    p.add_argument("--device", required=True)


def run_admin(engine: Engine, args: argparse.Namespace) -> str:
    """Execute a parsed admin command; returns the one-line result."""
    c = args.command
    if c == "create-task":
        t = admin.create_task(
            engine,
            args.township,
            args.title,
            target=args.target,
            matters=args.matter,
            deadline=args.deadline,
            priority=args.priority,
            source=args.source,
            task_type=args.task_type,
            description=args.description,
        )
        return f"已派发任务 created task id={t['id']} number={t['number']} township={t['township_id']}"
    if c == "reassign":
        t = admin.reassign(engine, args.task, args.township)
        return f"已重新派发 reassigned task id={t['id']} township={t['township_id']} status={t['status']}"
    if c == "set-deadline":
        t = admin.set_deadline(engine, args.task, args.deadline)
        return f"已修改期限 deadline set id={t['id']} deadline={t['deadline']} version={t['version']}"
    if c == "set-field":
        value = json.loads(args.value) if args.json else args.value
        t = admin.set_field(engine, args.task, args.field, value, entity=args.entity)
        return f"已修改字段 field set id={t['id']} {args.field} version={t['version']}"
    if c in ("close", "reject"):
        t = admin.close(engine, args.task) if c == "close" else admin.reject(engine, args.task, args.reason)
        return f"已{'办结' if c == 'close' else '驳回'} {c}d task id={t['id']} status={t['status']}"
    if c in ("empower", "deempower"):
        row = admin.empower(
            engine, args.township, args.matter, empowered=(c == "empower"), effective=args.effective
        )
        return (
            f"已发布目录第 {row['version']} 版 catalogue v{row['version']} {c} {args.township} {args.matter}"
        )
    if c == "publish-case-law":
        row = publish_case_law(engine, args.file)
        return f"已发布案件配置第 {row['edition']} 版 case law edition {row['edition']} from {row['effective_from']}"
    if c == "add-user":
        admin.add_user(
            engine,
            args.username,
            args.password,
            args.role,
            args.township,
            name=args.name,
            officer_id=args.officer_id,
        )
        return f"已新增用户 user added {args.username} role={args.role}"
    if c == "compact":
        dropped, horizon = admin.compact(engine, args.keep_last)
        return f"已清理删除标记 compacted dropped={dropped} horizon={horizon}"
    if c == "delete":
        version = admin.delete(engine, args.entity, args.id)
        return f"已删除 deleted {args.entity} id={args.id} version={version}"
    out = loops_admin.run(engine, args)
    if out is not None:
        return out
    if c == "verify-chain":
        return _verify_chain(engine, args)
    if c in ("revoke-device", "device-events"):
        from sync.server import devices

        if c == "device-events":
            return "\n".join(f"{e['at']} {e['event']} {e['username'] or '-'} {e['detail']}"
                             for e in devices.events(engine, args.device)) or "（无记录）"
        row = devices.revoke(engine, args.device, args.mode, args.reason)
        note = "" if row["known"] else "（平台上尚无该设备的登录记录）"
        return f"已注销设备 device revoked {row['device_id']} mode={row['mode']}{note}"
    raise admin.AdminError(f"未知命令 {c}")


def _verify_chain(engine: Engine, args: argparse.Namespace) -> str:
    from sync.server import anchors

    if args.db is not None:
        result = anchors.check_db_copy(engine, args.db, args.chain_id)
    else:
        try:
            data = json.loads(args.heads.read_text(encoding="utf-8"))
            heads = [(int(h["seq"]), str(h["hash"])) for h in data["heads"]]
            chain_id = args.chain_id or str(data["chain_id"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise admin.AdminError(f"无法读取链头文件：{exc}") from exc
        result = anchors.check_heads(engine, chain_id, heads)
    if not result.anchors:
        raise admin.AdminError(f"平台没有审计链 {result.chain_id} 的锚点记录，无法核对")
    if not result.ok:
        raise admin.AdminError("审计链与平台锚点不符：" + "；".join(result.problems))
    return (f"审计链 {result.chain_id} 与平台登记的 {result.anchors} 个锚点一致（已核对 {result.checked} 条）"
            f" chain verified against {result.anchors} anchors")
def publish_case_law(engine: Engine, path: Path) -> dict[str, Any]:
    from sync.server.cases import CaseRefused, publish_config
    from sync.server.storage import write_session

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise admin.AdminError(f"无法读取案件配置文件 {path}：{exc}") from None
    try:
        with write_session(engine) as session:
            return publish_config(session, data)
    except CaseRefused as exc:
        raise admin.AdminError(exc.reason) from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", required=True, type=Path, help="数据目录 (database, blobs, uploads)")
    parser.add_argument(
        "--db-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://… (default: SQLite in data dir)"
    )


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.server", description="联巡通 参考指挥平台")
    _common(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed-demo", action="store_true", help="seed the demo district (once)")
    parser.add_argument("--access-ttl", type=int, default=15 * 60, help="access token lifetime, seconds")
    parser.add_argument("--tombstone-keep-last", type=int, help="drop older tombstones at start-up")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--upload-max-age", type=int, default=7 * 24 * 3600, help="seconds before an idle unfinished upload is swept"
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be ≥ 1")

    import uvicorn

    from sync.server.app import create_app
    from sync.server.seed import load_demo, seed_demo

    settings = ServerSettings(
        data_dir=args.data_dir,
        db_url=args.db_url,
        access_ttl=args.access_ttl,
        tombstone_keep_last=args.tombstone_keep_last,
        upload_max_age=args.upload_max_age,
    )
    app = create_app(settings)  # creates/upgrades the tables and compacts once, before any worker starts
    if args.seed_demo:
        dataset, accounts = load_demo()
        counts = seed_demo(app.state.engine, dataset, accounts)
        print(f"演示数据 demo seed: {counts}")
    print(f"参考指挥平台 listening on http://{args.host}:{args.port}/api/v1/docs ({args.workers} worker(s))")
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        return 0
    app.state.engine.dispose()
    settings.tombstone_keep_last = None  # done above, not once per worker
    settings.login_slots = max(1, (os.cpu_count() or 2) // (2 * args.workers))  # hashing: half the machine
    os.environ[ENV_SETTINGS] = settings.to_env()
    uvicorn.run(
        "sync.server.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
    )
    return 0


def admin_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.server admin", description="指挥中心管理命令")
    _common(parser)
    build_admin_parser(parser)
    args = parser.parse_args(argv)

    from sync.server import anchors, devices  # noqa: F401  (registers the audit_anchors and device tables)
    from sync.server.storage import init_db, make_engine

    settings = ServerSettings(data_dir=args.data_dir, db_url=args.db_url)
    settings.ensure_dirs()
    engine = make_engine(settings.database_url)
    init_db(engine)
    try:
        print(run_admin(engine, args))
    except admin.AdminError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "admin":
        return admin_main(argv[1:])
    return serve(argv)


if __name__ == "__main__":
    sys.exit(main())
