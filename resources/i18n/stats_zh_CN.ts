<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>StatsArea</name>
    <message>
        <source>Grid patrol analysis</source>
        <translation>网格巡查研判</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>近 %1 天</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年度</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Analyse</source>
        <translation>研判</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检查发现</translation>
    </message>
    <message>
        <source>Violations</source>
        <translation>违法问题</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期指令</translation>
    </message>
    <message>
        <source>Top matters</source>
        <translation>主要问题事项</translation>
    </message>
    <message>
        <source>Index / month</source>
        <translation>研判指数/月</translation>
    </message>
    <message>
        <source>Suggested patrol</source>
        <translation>建议巡查频次</translation>
    </message>
    <message>
        <source>Current tier</source>
        <translation>当前档位</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>实施部门</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>涉及网格</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>指令编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Findings and violations per grid</source>
        <translation>各网格检查发现与违法问题</translation>
    </message>
    <message>
        <source>High-frequency matters (violations)</source>
        <translation>高频执法事项（违法问题数）</translation>
    </message>
    <message>
        <source>Grids and tiers</source>
        <translation>网格研判与巡查频次</translation>
    </message>
    <message>
        <source>No violations in this period</source>
        <translation>所选期间没有违法发现</translation>
    </message>
    <message>
        <source>Choose a longer period above and click Analyse, or record findings in inspections first.</source>
        <translation>请在上方选择更长的期间后点“研判”，或先在检查中记录发现。</translation>
    </message>
    <message>
        <source>High-frequency matters</source>
        <translation>高频执法事项研判</translation>
    </message>
    <message>
        <source>No overdue instructions</source>
        <translation>没有超期任务</translation>
    </message>
    <message>
        <source>Every open instruction is within its deadline.</source>
        <translation>所有未办结的任务都在期限内。</translation>
    </message>
    <message>
        <source>Overdue by grid</source>
        <translation>逾期指令（按网格）</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Analysing…</source>
        <translation>正在研判…</translation>
    </message>
    <message>
        <source>%1 to %2: %3 findings, %4 violations, %5 overdue instructions in %6 grids (computed in %7 ms)</source>
        <translation>%1 至 %2：检查发现 %3 条，违法问题 %4 条，逾期指令 %5 件，涉及 %6 个网格（用时 %7 毫秒）</translation>
    </message>
    <message>
        <source>Tier %1 applied: %2 patrol plans for next month (%3 replaced)</source>
        <translation>已调整为第 %1 档：生成下月巡查计划 %2 条（替换 %3 条）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported: %1</source>
        <translation>已导出：%1</translation>
    </message>
</context>
</TS>