"""Instruction (指令) generation shared by the demo dataset and the volume generator: issue templates tied to
catalogue matters and target industries, realistic titles and descriptions, and a status history whose every
step is checked by the task state machine (`app.rules.task_states.transition`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from app.rules.task_states import Role, TaskAction, TaskStatus, transition
from app.task_events import TaskEventWire

CST = timezone(timedelta(hours=8), "CST")
CENTRE_ACTOR = "centre.admin"
SOURCES = ("指挥中心", "网格上报", "投诉举报", "部门抄告", "双随机")
STATUSES = tuple(s.value for s in TaskStatus)


@dataclass(frozen=True)
class Issue:
    """A kind of problem an instruction is about; `industries` empty means a place rather than a target."""

    phrase: str
    detail: str
    matters: tuple[str, ...]
    industries: tuple[str, ...]
    sources: tuple[str, ...]
    task_type: str
    weight: int = 1
    since_version: int = 1


ISSUES: tuple[Issue, ...] = (
    Issue("餐饮油烟扰民", "油烟直排，周边居民家中气味严重", ("FY-HJ-001", "FY-HJ-002", "FY-SR-010"), ("餐饮",),
          ("投诉举报", "网格上报", "指挥中心"), "核查", 6),
    Issue("出店经营、占道经营", "商品和桌椅摆放至人行道，影响行人通行", ("FY-SR-002", "FY-SR-001"),
          ("零售", "餐饮", "汽车维修"), ("网格上报", "指挥中心", "投诉举报"), "巡查", 5),
    Issue("疑似违法建设", "正在搭建钢棚，现场未见规划许可公示", ("FY-GH-001", "FY-GH-002"), ("居民", "加工制造", "养殖"),
          ("网格上报", "投诉举报", "指挥中心"), "核查", 4),
    Issue("夜间施工噪声扰民", "晚上十点后仍在进行混凝土浇筑作业", ("FY-HJ-005", "FY-HJ-004"), ("建筑施工",),
          ("投诉举报",), "核查", 3),
    Issue("施工扬尘", "裸露土方未覆盖，出场车辆未冲洗", ("FY-HJ-004", "FY-GH-006", "FY-SR-005"), ("建筑施工",),
          ("网格上报", "指挥中心"), "巡查", 2),
    Issue("露天焚烧", "田间有焚烧秸秆、垃圾冒烟现象", ("FY-HJ-003",), ("居民", "农业种植"), ("网格上报", "指挥中心"),
          "核查", 2),
    Issue("无证经营食品", "现场未公示食品经营许可证", ("FY-SJ-001", "FY-SJ-004", "FY-SJ-003"), ("餐饮", "零售"),
          ("投诉举报", "部门抄告"), "核查", 2),
    Issue("销售过期食品", "消费者反映购买的饮料已超过保质期", ("FY-SJ-002", "FY-SJ-006"), ("零售",), ("投诉举报",),
          "核查", 2),
    Issue("网吧接纳未成年人", "有疑似未成年人在内上网", ("FY-WH-003", "FY-WS-004"), ("网吧",), ("投诉举报", "双随机"),
          "核查"),
    Issue("娱乐场所经营管理", "需核查经营许可及未成年人保护落实情况", ("FY-WH-002", "FY-WH-001", "FY-WS-004"),
          ("娱乐场所",), ("双随机", "指挥中心"), "专项检查"),
    Issue("农药经营管理", "需核查农药经营许可和销售台账", ("FY-NY-001", "FY-NY-002", "FY-SJ-006"), ("农资经营",),
          ("双随机", "部门抄告"), "专项检查"),
    Issue("安全生产隐患", "员工反映车间安全出口堆放杂物", ("FY-YJ-005", "FY-YJ-001", "FY-YJ-002", "FY-YJ-003"),
          ("加工制造",), ("指挥中心", "双随机", "部门抄告"), "专项检查", 3),
    Issue("危险化学品经营", "需核查危险化学品经营许可及储存条件", ("FY-YJ-004",), ("危化品经营",),
          ("部门抄告", "双随机"), "专项检查"),
    Issue("非法营运", "有车辆无证从事货物运输", ("FY-JT-002", "FY-JT-001", "FY-JT-006"), ("道路运输",),
          ("部门抄告", "投诉举报"), "核查"),
    Issue("汽修喷漆废气扰民", "露天喷漆，气味刺鼻", ("FY-HJ-009", "FY-JT-003", "FY-HJ-008"), ("汽车维修",),
          ("投诉举报", "网格上报"), "核查", 2),
    Issue("公共场所卫生", "需核查卫生许可和从业人员健康证明", ("FY-WS-001", "FY-WS-002", "FY-WS-003"),
          ("住宿", "美容美发"), ("双随机", "部门抄告"), "专项检查"),
    Issue("非法占用土地", "耕地上堆放建材并硬化地面", ("FY-ZY-001", "FY-ZY-002", "FY-ZY-003"), ("居民", "养殖"),
          ("网格上报", "部门抄告"), "核查"),
    Issue("滥伐林木", "山上有成片树木被砍伐", ("FY-ZY-006", "FY-ZY-005"), ("居民", "农业种植"),
          ("网格上报", "投诉举报"), "核查"),
    Issue("生活垃圾分类不到位", "垃圾混投混放，未设置分类容器", ("FY-SR-007", "FY-SR-008"), ("餐饮", "住宿", "物业"),
          ("指挥中心", "网格上报"), "巡查", 2),
    Issue("建筑垃圾偷倒", "夜间有渣土车在路边倾倒建筑垃圾", ("FY-SR-006", "FY-SR-005"), ("建筑施工", "道路运输"),
          ("网格上报", "投诉举报"), "核查", 2),
    Issue("污水乱排", "污水直排入雨水管网", ("FY-SR-010", "FY-HJ-010"), ("餐饮", "加工制造"),
          ("投诉举报", "网格上报"), "核查"),
    Issue("禁渔期非法捕捞", "江边有人使用地笼网捕鱼", ("FY-NY-004",), ("居民",), ("网格上报", "投诉举报"), "巡查"),
    Issue("病死畜禽处置", "养殖场附近发现随意丢弃的病死畜禽", ("FY-NY-005", "FY-NY-006"), ("养殖",),
          ("部门抄告",), "核查"),
    Issue("燃气安全", "需核查燃气报警和切断装置安装情况", ("FY-GH-008", "FY-GH-007"), ("餐饮",),
          ("指挥中心", "双随机"), "专项检查", 2),
    Issue("户外广告设置不规范", "招牌破损、存在坠落隐患", ("FY-SR-003", "FY-JT-004"), ("零售", "住宿"),
          ("网格上报", "指挥中心"), "巡查"),
    Issue("价格标示不规范", "消费者反映结账价格与标价不符", ("FY-SJ-008", "FY-SJ-007"), ("零售", "餐饮", "住宿"),
          ("投诉举报",), "核查"),
    Issue("诊所执业资质", "需核查医疗机构执业许可和医疗废物处置", ("FY-WS-005", "FY-HJ-008"), ("医疗",),
          ("部门抄告", "双随机"), "专项检查"),
    Issue("电动自行车违规停放充电", "楼道内有电动自行车停放并飞线充电", ("FY-YJ-007", "FY-YJ-005"),
          ("住宿", "物业", "零售"), ("指挥中心", "网格上报"), "巡查", 2, since_version=2),
)

DURATION_BY_PRIORITY = {1: timedelta(hours=4), 2: timedelta(days=1), 3: timedelta(days=3), 4: timedelta(days=7)}
DEPT_OF_FIELD = {"市容环卫": "区综合行政执法局", "规划建设": "区住房和城乡建设局", "生态环境": "生态环境富阳分局",
                 "市场监管": "区市场监管局", "文化市场": "区文化和广电旅游体育局", "农业": "区农业农村局",
                 "应急管理": "区应急管理局", "交通运输": "区交通运输局", "卫生健康": "区卫生健康局",
                 "自然资源": "规划和自然资源富阳分局"}

RETURN_REASONS = ("经核实该点位不属于本辖区，请重新派发", "指令地址信息不全，无法定位现场，请补充",
                  "该事项不属于本队职责范围，建议派发至相关区级部门")
REJECT_REASONS = ("反馈材料缺少现场照片，请补充后重新反馈", "整改情况描述不清，请补充复查结果",
                  "未说明当事人身份信息，请补充")
OUTCOMES = ("现场发现问题属实，已当场责令改正并拍照取证", "经核查，反映情况不属实，现场未发现违法行为",
            "已责令当事人限期整改，将按期复查", "问题属实，已立案调查，后续依法处理",
            "当事人已自行整改完毕，现场恢复正常", "已对当事人进行教育劝导，并告知相关法律规定")


def pick_issue(rng: random.Random, catalogue_version: int) -> Issue:
    pool = [i for i in ISSUES if i.since_version <= catalogue_version]
    return rng.choices(pool, weights=[i.weight for i in pool])[0]


def pick_source(rng: random.Random, issue: Issue) -> str:
    return rng.choice(issue.sources)


def priority_for(rng: random.Random, source: str) -> int:
    if source in ("投诉举报", "指挥中心"):
        return rng.choices((1, 2, 3, 4), weights=(1, 3, 5, 1))[0]
    return rng.choices((2, 3, 4), weights=(1, 5, 3))[0]


def duration_for(priority: int, source: str) -> timedelta:
    return timedelta(days=15) if source == "双随机" else DURATION_BY_PRIORITY[priority]


def compose_text(
    rng: random.Random,
    *,
    issue: Issue,
    source: str,
    township: str,
    place: str,
    grid_name: str | None,
    target_name: str | None,
    field: str,
    deadline: datetime,
) -> tuple[str, str, str]:
    """(title, description, task_type) for an instruction about `issue` at `place` in `township`."""
    task_type = issue.task_type
    who = target_name or place
    if source == "投诉举报":
        title = f"关于{township}{place}{issue.phrase}投诉的核查指令"
        lead = f"群众通过12345热线反映：{township}{place}{issue.phrase}，{issue.detail}。"
    elif source == "网格上报":
        title = f"关于{township}网格上报{place}{issue.phrase}问题的处置指令"
        lead = f"{grid_name or township}网格员巡查发现{place}{issue.phrase}，{issue.detail}。"
    elif source == "部门抄告":
        dept = DEPT_OF_FIELD.get(field, "区级部门")
        title = f"关于{dept}抄告{who}{issue.phrase}线索的核查指令"
        lead = f"{dept}抄告：{who}涉嫌{issue.phrase}，{issue.detail}。"
        task_type = rng.choice(("核查", "复查"))
    elif source == "双随机":
        title = f"{deadline.year}年{field}领域“双随机”抽查：{who}"
        lead = f"根据{deadline.year}年度“双随机、一公开”抽查计划，对{who}开展{field}领域检查（{issue.phrase}）。"
        task_type = "专项检查"
    elif rng.random() < 0.3:
        title = f"关于督办{township}{place}{issue.phrase}问题整改的指令"
        lead = f"区行政执法指挥中心督办：{township}{place}{issue.phrase}问题经前期处置后仍有反复，{issue.detail}。"
        task_type = "整改督办"
    else:
        title = f"关于{township}{place}{issue.phrase}问题的处置指令"
        lead = f"区行政执法指挥中心监测发现{township}{place}存在{issue.phrase}问题，{issue.detail}。"
    due = deadline.astimezone(CST)
    description = f"{lead}请于{due.month}月{due.day}日{due:%H:%M}前完成现场处置，并通过联巡通反馈处置结果。"
    return title, description, task_type


# ── status history ────────────────────────────────────────────────────────────────────────────────────

_A = TaskAction
_PATHS: dict[str, tuple[tuple[tuple[TaskAction, ...], int], ...]] = {
    "pending": (((), 8), ((_A.RETURN, _A.REASSIGN), 2)),
    "accepted": (((_A.ACCEPT,), 9), ((_A.RETURN, _A.REASSIGN, _A.ACCEPT), 1)),
    "in_progress": (((_A.ACCEPT, _A.START), 8), ((_A.ACCEPT, _A.START, _A.REPORT, _A.REJECT), 2)),
    "reported": (((_A.ACCEPT, _A.START, _A.REPORT), 8), ((_A.ACCEPT, _A.START, _A.REPORT, _A.REJECT, _A.REPORT), 2)),
    "closed": (((_A.ACCEPT, _A.START, _A.REPORT, _A.CLOSE), 8),
               ((_A.ACCEPT, _A.START, _A.REPORT, _A.REJECT, _A.REPORT, _A.CLOSE), 2)),
    "returned": (((_A.RETURN,), 5), ((_A.ACCEPT, _A.RETURN), 3), ((_A.ACCEPT, _A.START, _A.RETURN), 2)),
}
_GAP_MINUTES = {_A.ACCEPT: (3, 120), _A.START: (20, 1440), _A.REPORT: (60, 4320), _A.CLOSE: (120, 2880),
                _A.REJECT: (60, 1440), _A.RETURN: (10, 720), _A.REASSIGN: (60, 1440)}
_CENTRE_ACTIONS = frozenset({_A.REJECT, _A.CLOSE, _A.REASSIGN})


def action_path(rng: random.Random, status: str) -> tuple[TaskAction, ...]:
    options = _PATHS[status]
    return rng.choices([p for p, _ in options], weights=[w for _, w in options])[0]


def build_events(
    rng: random.Random,
    *,
    task_id: str,
    status: str,
    dispatched_at: datetime,
    now: datetime,
    worker: tuple[str, str],
    leader: str,
    place: str,
) -> tuple[list[dict[str, Any]], str]:
    """Wire events leading from "pending" to `status`, strictly increasing in time after `dispatched_at` and
    not after `now` (given at least a minute between them); `worker` is (username, role) of the assignee doing
    the work. Returns (events, the last report's feedback or "")."""
    path = action_path(rng, status)
    gaps = [rng.randint(*_GAP_MINUTES[a]) * 60 + rng.randint(0, 59) for a in path]
    room = (now - dispatched_at).total_seconds() * 0.95
    if gaps and sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [max(1, int(g * scale)) for g in gaps]
    events: list[dict[str, Any]] = []
    state: str = TaskStatus.PENDING
    at = dispatched_at
    feedback = ""
    role: str  # a Role, or the assignee's role as stored
    for i, (action, gap) in enumerate(zip(path, gaps, strict=True)):
        at = at + timedelta(seconds=gap)  # strictly increasing: events are ordered by time
        reason = fb = None
        if action in _CENTRE_ACTIONS:
            actor, role = CENTRE_ACTOR, Role.CENTRE
            if action is _A.REJECT:
                reason = rng.choice(REJECT_REASONS)
            elif action is _A.REASSIGN:
                reason = "已核实地址信息，重新派发"
        elif action is _A.RETURN:
            actor, role, reason = leader, Role.LEADER, rng.choice(RETURN_REASONS)
        else:
            actor, role = worker
            if action is _A.REPORT:
                local = at.astimezone(CST)
                fb = f"已于{local.month}月{local.day}日到{place}现场核查，{rng.choice(OUTCOMES)}。"
                feedback = fb
        ev = transition(state, action, role=role, actor=actor, at=at, reason=reason, feedback=fb)
        events.append(TaskEventWire.of(f"{task_id}-e{i + 1}", ev).wire())
        state = ev.to_status
    assert state == status, (state, status)
    return events, feedback
