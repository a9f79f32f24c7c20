"""Generated people and places of the demo district: officers (人员名录, with certificates and the demo
accounts' fixed identities), inspection targets (检查对象名录, with valid 统一社会信用代码) and declared interests."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from typing import Any

from app.demo import fakes, resources

#: fixed identities behind the demo accounts (names are made up)
ACCOUNT_NAMES = {"xindeng.leader": "章建华", "xindeng.officer": "何志刚", "xindeng.clerk": "俞晓燕",
                 "yinhu.leader": "孙立新", "yinhu.officer": "蒋文涛", "yinhu.clerk": "方丽萍"}

LEADER_FIELDS = ("市容环卫", "规划建设", "生态环境", "应急管理")
BUNDLES = (("市容环卫", "规划建设", "生态环境"), ("市场监管", "卫生健康"), ("应急管理", "交通运输"),
           ("文化市场", "农业"), ("自然资源", "规划建设"))
#: per main township: (username suffix, role, bundle index or None, certificate state)
MAIN_ROSTER = (("leader", "leader", None, "valid"), ("officer", "officer", 0, "valid"), ("clerk", "clerk", None, None),
               ("officer2", "officer", 1, "valid"), ("officer3", "officer", 2, "valid"),
               ("officer4", "officer", 3, "valid"), ("officer5", "officer", 4, "valid"),
               ("officer6", "officer", 0, "valid"), ("officer7", "officer", 1, "expired"),
               ("officer8", "officer", 0, "expiring"))
MAIN_TOWNSHIPS = ("xindeng", "yinhu")
NO_OFFICERS = ("huyuan", "yushan")  # two small 乡 without a registered officer in the demo
EXPIRED_ELSEWHERE = ("fuchun", "luzhu", "longmen", "chunjian")

# industry → weight, [(kind, name pattern, fillers)]; {s}: township short name, {w}: trade word, {x}: filler
INDUSTRIES: dict[str, tuple[int, tuple[tuple[str, str, tuple[str, ...]], ...]]] = {
    "餐饮": (20, (("个体工商户", "富阳区{s}{w}{x}", ("小吃店", "面馆", "饭店", "土菜馆", "烧烤店", "快餐店", "馄饨店")),
                 ("企业", "杭州富阳{w}餐饮管理有限公司", ()), ("企业", "杭州富阳{w}{x}有限公司", ("酒家", "农家乐")))),
    "零售": (18, (("个体工商户", "富阳区{s}{w}{x}", ("便利店", "日杂店", "烟酒店", "水果店", "五金店", "副食品店")),
                 ("企业", "杭州富阳{w}超市有限公司", ()), ("场所", "富阳区{s}{w}农贸市场", ()))),
    "建筑施工": (6, (("企业", "浙江{w}建设有限公司", ()), ("场所", "{s}{w}{x}项目工地", ("花园（二期）", "安置房", "综合体")))),
    "娱乐场所": (4, (("企业", "杭州富阳{w}娱乐有限公司", ()), ("场所", "{s}{w}KTV", ()))),
    "加工制造": (12, (("企业", "杭州富阳{w}{x}有限公司", ("纸业", "机械制造", "五金制品", "塑料制品", "竹木制品",
                                                   "体育用品", "服饰")),)),
    "农资经营": (4, (("个体工商户", "富阳区{s}{w}农资经营部", ()),)),
    "道路运输": (4, (("企业", "杭州富阳{w}{x}有限公司", ("物流", "运输")), ("个体工商户", "富阳区{s}{w}货运部", ()))),
    "住宿": (6, (("个体工商户", "富阳区{s}{w}{x}", ("宾馆", "民宿", "旅馆")), ("企业", "杭州富阳{w}酒店有限公司", ()))),
    "汽车维修": (5, (("个体工商户", "富阳区{s}{w}汽车修理厂", ()), ("企业", "杭州富阳{w}汽车服务有限公司", ()))),
    "美容美发": (5, (("个体工商户", "富阳区{s}{w}{x}", ("美发店", "美容店", "理发店")),)),
    "网吧": (2, (("场所", "{s}{w}网咖", ()),)),
    "养殖": (4, (("个体工商户", "富阳区{s}{w}家庭农场", ()), ("企业", "杭州富阳{w}生态农业有限公司", ()),
               ("自然人", "", ()))),
    "医疗": (2, (("场所", "富阳{s}{w}诊所", ()),)),
    "物业": (3, (("企业", "杭州{w}物业管理有限公司", ()),)),
    "危化品经营": (1, (("企业", "杭州富阳{w}化工贸易有限公司", ()),)),
    "农业种植": (2, (("企业", "杭州富阳{w}农业开发有限公司", ()), ("自然人", "", ()))),
    "居民": (8, (("自然人", "", ()),)),
}
RISK_WEIGHTS = {"A": 30, "B": 40, "C": 20, "D": 10}
HIGH_RISK = frozenset({"危化品经营", "加工制造", "娱乐场所", "建筑施工"})
INTEREST_REASONS = ("配偶系该经营户的经营者", "近亲属担任该企业法定代表人", "曾在该企业任职，离职未满两年",
                    "与该单位负责人存在经济往来")
_PREFIX = re.compile(r"^(杭州市富阳区|杭州富阳|富阳区|浙江|杭州|富阳)")


def display_name(name: str, township_short: str) -> str:
    """A target's name without the registration prefixes, for titles: "阿明小吃店"."""
    short = _PREFIX.sub("", name)
    return short[len(township_short):] if short.startswith(township_short) and len(short) > 4 else short


def place_of(target: dict[str, Any], township_name: str, township_short: str) -> str:
    """Where an instruction about `target` points: "人民路阿明小吃店" or "双溪村王建国户"."""
    spot = target["address"].removeprefix(f"杭州市富阳区{township_name}").rstrip("0123456789号")
    if target["kind"] == "自然人":
        return f"{spot}{target['name']}户"
    return spot + display_name(target["name"], township_short)


def build_officers(rng: random.Random, today: date, stamp: dict[str, str]) -> list[dict[str, Any]]:
    towns = {t["id"]: t for t in resources.townships()}
    units_by_town: dict[str, list[dict[str, Any]]] = {}
    for u in resources.units():
        units_by_town.setdefault(u["township_id"], []).append(u)
    grids_by_town: dict[str, list[str]] = {}
    for g in resources.grids():
        grids_by_town.setdefault(g["township_id"], []).append(g["id"])
    plan: list[tuple[str, str, str, tuple[str, ...], str | None]] = []
    for tid in MAIN_TOWNSHIPS:
        for suffix, role, bundle, cert in MAIN_ROSTER:
            fields: tuple[str, ...] = LEADER_FIELDS if role == "leader" else () if bundle is None else BUNDLES[bundle]
            plan.append((tid, f"{tid}.{suffix}", role, fields, cert))
    for tid in towns:
        if tid not in MAIN_TOWNSHIPS and tid not in NO_OFFICERS:
            plan.append((tid, f"{tid}.leader", "leader", LEADER_FIELDS,
                         "expired" if tid in EXPIRED_ELSEWHERE else "valid"))
    officers = []
    for i, (tid, username, role, fields, cert) in enumerate(plan):
        units = units_by_town[tid]
        main_unit = units[0]["id"]
        if role == "leader":
            unit_id = main_unit if towns[tid]["mode"] == "empowered" else None
        elif fields == BUNDLES[1]:
            unit_id = next(u["id"] for u in units if u["id"].endswith("_scjgs"))
        elif fields == BUNDLES[4]:
            unit_id = next((u["id"] for u in units if u["id"].endswith("_zys")), main_unit)
        else:
            unit_id = main_unit
        valid_until = _valid_until(rng, today, cert)
        grids = grids_by_town[tid]
        officers.append({
            "id": "off-" + username.replace(".", "-"), "version": 1, **stamp,
            "name": ACCOUNT_NAMES.get(username) or fakes.person_name(rng), "username": username, "role": role,
            "township_id": tid, "unit_id": unit_id, "grid_id": grids[i % len(grids)] if role == "officer" else None,
            "certificate_no": fakes.certificate_no(valid_until.year - 5, 101 + i * 23) if valid_until else None,
            "cert_valid_until": valid_until.isoformat() if valid_until else None, "fields": list(fields),
            "phone": fakes.phone(rng), "active": True,
        })
    return officers


def _valid_until(rng: random.Random, today: date, state: str | None) -> date | None:
    if state is None:
        return None
    if state == "expired":
        return today - timedelta(days=rng.randint(10, 400))
    if state == "expiring":
        return today + timedelta(days=rng.randint(5, 25))
    return today + timedelta(days=rng.randint(120, 1500))


def _target_counts() -> dict[str, int]:
    others = [t["id"] for t in resources.townships() if t["id"] not in MAIN_TOWNSHIPS]
    counts = {"xindeng": 80, "yinhu": 80}
    for i, tid in enumerate(others):
        counts[tid] = 7 if i < 140 - 6 * len(others) else 6
    return counts


def build_targets(rng: random.Random, stamp: dict[str, str]) -> list[dict[str, Any]]:
    """About 300 targets, 80 each in 新登镇 and 银湖街道 (which hold at least one of every industry)."""
    pool = resources.names()
    grids_by_town: dict[str, list[dict[str, Any]]] = {}
    for g in resources.grids():
        grids_by_town.setdefault(g["township_id"], []).append(g)
    industries = list(INDUSTRIES)
    weights = [INDUSTRIES[k][0] for k in industries]
    used: set[str] = set()
    targets = []
    for town in resources.townships():
        tid, short = town["id"], town["short"]
        for n in range(1, _target_counts()[tid] + 1):
            if tid in MAIN_TOWNSHIPS and n <= len(industries):
                industry = industries[n - 1]
            else:
                industry = rng.choices(industries, weights=weights)[0]
            kind, pattern, fillers = rng.choice(INDUSTRIES[industry][1])
            grid = rng.choice(grids_by_town[tid])
            person = fakes.person_name(rng)
            if kind == "自然人":
                name = person
            else:
                for _ in range(50):
                    name = pattern.format(s=short, w=rng.choice(pool["trade_words"]),
                                          x=rng.choice(fillers) if fillers else "")
                    if name not in used:
                        break
                used.add(name)
            if kind == "自然人" or rng.random() < 0.35:
                place = f"{grid['community']}{rng.randint(1, 180)}号"
            else:
                place = f"{rng.choice(pool['roads'])}{rng.randint(1, 399)}号"
            risk = rng.choices(list(RISK_WEIGHTS), weights=list(RISK_WEIGHTS.values()))[0]
            if industry in HIGH_RISK and risk == "A":
                risk = "C"
            contact = person if kind == "自然人" or rng.random() < 0.6 else fakes.person_name(rng)
            targets.append({
                "id": f"tgt-{tid}-{n:03d}", "version": 1, **stamp, "name": name,
                "credit_code": fakes.credit_code(rng, kind, industry), "kind": kind,
                "address": f"杭州市富阳区{town['name']}{place}", "township_id": tid, "grid_id": grid["id"],
                "industry": industry, "risk_grade": risk, "legal_rep": None if kind == "自然人" else person,
                "contact_name": contact, "contact_phone": fakes.phone(rng),
            })
    return targets


def build_interests(
    rng: random.Random, officers: list[dict[str, Any]], targets: list[dict[str, Any]], stamp: dict[str, str]
) -> list[dict[str, Any]]:
    """A few declared interests (利害关系) of officers in targets of their own township (grounds for 回避)."""
    who = ("xindeng.officer3", "xindeng.officer5", "yinhu.officer2", "yinhu.officer4", "changkou.leader")
    rows = []
    for i, username in enumerate(who):
        officer = next(o for o in officers if o["username"] == username)
        local = [t for t in targets if t["township_id"] == officer["township_id"] and t["kind"] != "自然人"]
        rows.append({
            "id": f"oi-{i + 1:02d}", "version": 1, **stamp, "officer_id": officer["id"],
            "target_id": rng.choice(local)["id"], "reason": INTEREST_REASONS[i % len(INTEREST_REASONS)],
        })
    return rows


def stamp_of(at: datetime) -> dict[str, str]:
    return {"created_at": at.isoformat(), "updated_at": at.isoformat()}
