<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CheckinDialog</name>
    <message>
        <source>Respond</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>Depart</source>
        <translation>出发</translation>
    </message>
    <message>
        <source>Arrive</source>
        <translation>到达</translation>
    </message>
    <message>
        <source>Check in: %1</source>
        <translation>打卡：%1</translation>
    </message>
    <message>
        <source>Check in for the urgent instruction %1 now.</source>
        <translation>现在为紧急指令 %1 打卡（计时自派发起）。</translation>
    </message>
    <message>
        <source>optional, e.g. 城南路88号</source>
        <translation>可不填，例如 城南路88号</translation>
    </message>
    <message>
        <source>From this &amp;laptop</source>
        <translation>取本机位置(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Location:</source>
        <translation>位置(&amp;L)：</translation>
    </message>
    <message>
        <source>This laptop has no position available; please type the location.</source>
        <translation>本机没有可用的定位信息，请手动填写位置。</translation>
    </message>
</context>
<context>
    <name>ComplaintReplyDialog</name>
    <message>
        <source>Reply to the complainant</source>
        <translation>答复投诉举报人</translation>
    </message>
    <message>
        <source>Record the reply given to the complainant of %1.</source>
        <translation>记录对 %1 投诉举报人的答复。</translation>
    </message>
    <message>
        <source>what the complainant was told</source>
        <translation>向投诉举报人答复的内容</translation>
    </message>
    <message>
        <source>W&amp;hen:</source>
        <translation>时间(&amp;H)：</translation>
    </message>
    <message>
        <source>H&amp;ow:</source>
        <translation>方式(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Content:</source>
        <translation>内容(&amp;C)：</translation>
    </message>
</context>
<context>
    <name>InterventionDialog</name>
    <message>
        <source>Correct an intervention record</source>
        <translation>更正干预记录</translation>
    </message>
    <message>
        <source>Record an intervention</source>
        <translation>干预留痕</translation>
    </message>
    <message>
        <source>Record any intervention in %1 by a leader or anyone outside the procedure. Records cannot be edited or deleted; a correction is saved as a new record.</source>
        <translation>记录领导干部或办案程序以外人员对 %1 的干预、过问。记录不能修改或删除，更正将另存为一条新记录。</translation>
    </message>
    <message>
        <source>e.g. 李某</source>
        <translation>例如 李某</translation>
    </message>
    <message>
        <source>post and unit, e.g. 某局副局长</source>
        <translation>职务及单位，例如 某局副局长</translation>
    </message>
    <message>
        <source>what was asked or suggested</source>
        <translation>对方提出的要求或意见</translation>
    </message>
    <message>
        <source>how you answered</source>
        <translation>执法人员如何答复、处理</translation>
    </message>
    <message>
        <source>&amp;Who:</source>
        <translation>干预人(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Post / unit:</source>
        <translation>职务/单位(&amp;P)：</translation>
    </message>
    <message>
        <source>W&amp;hen:</source>
        <translation>时间(&amp;H)：</translation>
    </message>
    <message>
        <source>H&amp;ow:</source>
        <translation>方式(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;What was asked:</source>
        <translation>干预内容(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Your response:</source>
        <translation>答复处理(&amp;Y)：</translation>
    </message>
</context>
<context>
    <name>SaveDialog</name>
    <message>
        <source>Tab moves between fields · Ctrl+Enter saves · Esc cancels</source>
        <translation>Tab 切换字段 · Ctrl+Enter 保存 · Esc 取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TaskLoopsCard</name>
    <message>
        <source>Urgent response</source>
        <translation>紧急响应</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉举报</translation>
    </message>
    <message>
        <source>Record &amp;reply to complainant…</source>
        <translation>记录答复投诉人(&amp;R)…</translation>
    </message>
    <message>
        <source>Interventions (干预留痕)</source>
        <translation>干预留痕</translation>
    </message>
    <message>
        <source>Record &amp;intervention… (Ctrl+Shift+I)</source>
        <translation>记录干预(&amp;I)…（Ctrl+Shift+I）</translation>
    </message>
    <message>
        <source>Correct the latest…</source>
        <translation>更正最近一条…</translation>
    </message>
    <message>
        <source>Notices to departments and their replies</source>
        <translation>抄告及反馈</translation>
    </message>
    <message>
        <source>target</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未打卡</translation>
    </message>
    <message>
        <source>Check in: &amp;respond</source>
        <translation>响应打卡(&amp;R)</translation>
    </message>
    <message>
        <source>Check in: &amp;depart</source>
        <translation>出发打卡(&amp;D)</translation>
    </message>
    <message>
        <source>Check in: &amp;arrive</source>
        <translation>到达打卡(&amp;A)</translation>
    </message>
    <message>
        <source>Reply due %1</source>
        <translation>答复期限 %1</translation>
    </message>
    <message>
        <source>(overdue)</source>
        <translation>（已逾期）</translation>
    </message>
    <message>
        <source>Complainant (confidential): %1</source>
        <translation>投诉举报人（保密）：%1</translation>
    </message>
    <message>
        <source>The complainant's identity is shown only to the team leader.</source>
        <translation>投诉举报人身份信息仅向队长显示。</translation>
    </message>
    <message>
        <source>No reply recorded yet.</source>
        <translation>尚未记录答复。</translation>
    </message>
    <message>
        <source>None recorded.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <source> (corrected %1×)</source>
        <translation>（已更正 %1 次）</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>(no finding)</source>
        <translation>（无检查发现）</translation>
    </message>
    <message>
        <source>no reply, due %1 (overdue)</source>
        <translation>未反馈，期限 %1（已逾期）</translation>
    </message>
    <message>
        <source>awaiting reply, due %1</source>
        <translation>等待反馈，期限 %1</translation>
    </message>
</context>
<context>
    <name>TierControls</name>
    <message>
        <source>Apply patrol &amp;tier…</source>
        <translation>调整巡查频率(&amp;T)…</translation>
    </message>
    <message>
        <source>Confirm the selected grid's tier and produce next month's patrol plans</source>
        <translation>确认所选网格的巡查档次，并生成下月巡查计划</translation>
    </message>
    <message>
        <source>%1: no tier change recorded</source>
        <translation>%1：暂无档次调整记录</translation>
    </message>
</context>
<context>
    <name>TierDialog</name>
    <message>
        <source>Confirm patrol frequency</source>
        <translation>调整网格巡查频率</translation>
    </message>
    <message>
        <source>Grid %1: current tier %2, suggested tier %3 (score %4). Confirming changes the grid's patrol frequency and produces next month's patrol plans at that frequency.</source>
        <translation>网格 %1：当前第 %2 档，研判建议第 %3 档（指数 %4）。确认后将调整该网格的巡查频率，并按该频率生成下月巡查计划。</translation>
    </message>
    <message>
        <source>why, e.g. 近三月违法 6 起</source>
        <translation>调整理由，例如 近三月违法 6 起</translation>
    </message>
    <message>
        <source>Analysis suggests tier %1 (score %2)</source>
        <translation>研判建议第 %1 档（指数 %2）</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>档次(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>理由(&amp;R)：</translation>
    </message>
</context>
</TS>