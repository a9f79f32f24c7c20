<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>FilterBar</name>
    <message>
        <source>Search number, title, description, notes… (Ctrl+F)</source>
        <translation>搜索编号、标题、内容、备注…（Ctrl+F）</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>全部领域</translation>
    </message>
    <message>
        <source>Mine only</source>
        <translation>只看我的</translation>
    </message>
    <message>
        <source>Case deadlines</source>
        <translation>案件期限</translation>
    </message>
    <message>
        <source>Only tasks whose case has a statutory deadline overdue or due within 3 days</source>
        <translation>只显示所属案件有法定期限已超期或三日内到期的任务</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>%1 tasks</source>
        <translation>%1 条任务</translation>
    </message>
</context>
<context>
    <name>NotesEditor</name>
    <message>
        <source>Notes for the team: calls made, appointments, what to bring…</source>
        <translation>队内备注：已联系情况、约定时间、需携带的材料…</translation>
    </message>
    <message>
        <source>Notes can no longer be changed for this task.</source>
        <translation>该任务已结束，备注不能再修改。</translation>
    </message>
    <message>
        <source>Not saved yet…</source>
        <translation>尚未保存…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未能保存：%1</translation>
    </message>
</context>
<context>
    <name>TaskDetailPanel</name>
    <message>
        <source>No task selected</source>
        <translation>未选择任务</translation>
    </message>
    <message>
        <source>Choose a task in the list to see its details here.</source>
        <translation>在左侧列表中选择一条任务，在此查看详情。</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令信息</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>下达时间</translation>
    </message>
    <message>
        <source>Township / grid</source>
        <translation>乡镇/网格</translation>
    </message>
    <message>
        <source>Assignees</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Matters and enforcing body</source>
        <translation>涉及事项与执法主体</translation>
    </message>
    <message>
        <source>Officer notes</source>
        <translation>队员备注</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据材料</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>This task cannot be shown</source>
        <translation>无法显示该任务</translation>
    </message>
    <message>
        <source>Priority: %1</source>
        <translation>优先级：%1</translation>
    </message>
    <message>
        <source>not assigned yet</source>
        <translation>尚未指派</translation>
    </message>
    <message>
        <source>This task has a conflict with the platform (%1). Open Sync → Conflicts to decide which value to keep.</source>
        <translation>该任务与平台存在冲突（%1）。请在状态栏点击“冲突”或在“同步 → 冲突”中选择保留哪一方的内容。</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>无期限</translation>
    </message>
    <message>
        <source>Deadline: %1</source>
        <translation>期限：%1</translation>
    </message>
    <message>
        <source> (overdue)</source>
        <translation>（已逾期）</translation>
    </message>
    <message>
        <source> (due today)</source>
        <translation>（今日到期）</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始处理</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Report back…</source>
        <translation>反馈…</translation>
    </message>
    <message>
        <source>Start inspection</source>
        <translation>开始检查</translation>
    </message>
    <message>
        <source>Record the on-site inspection for this task; no separate plan is needed</source>
        <translation>据此任务开展现场检查并记录（核查、投诉举报任务本身即检查依据，无需另行制定计划）</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>指派…</translation>
    </message>
    <message>
        <source>No actions available for your role in this status.</source>
        <translation>当前状态下，您的角色没有可执行的操作。</translation>
    </message>
    <message>
        <source>The action was not carried out: %1</source>
        <translation>操作未执行：%1</translation>
    </message>
</context>
<context>
    <name>TaskDetailView</name>
    <message>
        <source>This instruction names no target (a place or an area).</source>
        <translation>该指令没有指定检查对象（针对某一地点或区域）。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Industry / risk</source>
        <translation>行业/风险等级</translation>
    </message>
    <message>
        <source>No catalogue matters are attached to this instruction.</source>
        <translation>该指令未关联执法事项。</translation>
    </message>
    <message>
        <source>Enforcing body:</source>
        <translation>执法主体：</translation>
    </message>
    <message>
        <source>in the township's own name (empowered matter)</source>
        <translation>以乡镇（街道）名义实施（赋权事项）</translation>
    </message>
    <message>
        <source>in the district department's name (dispatched township)</source>
        <translation>以区级部门名义实施（派驻模式）</translation>
    </message>
    <message>
        <source>in the district department's name (not empowered)</source>
        <translation>以区级部门名义实施（未赋权事项）</translation>
    </message>
    <message>
        <source>uploaded</source>
        <translation>已上传</translation>
    </message>
    <message>
        <source>not uploaded yet</source>
        <translation>尚未上传</translation>
    </message>
    <message>
        <source>No status changes yet.</source>
        <translation>暂无状态变更。</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Report:</source>
        <translation>反馈：</translation>
    </message>
</context>
<context>
    <name>TaskTableModel</name>
    <message>
        <source>No.</source>
        <extracomment>the roles whose answer depends on the deadline mark (computed only for these) (key, English header) — headers are translated in `headerData`</extracomment>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Township / grid</source>
        <translation>乡镇/网格</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Assignees</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source> · response late</source>
        <translation> · 响应超时</translation>
    </message>
    <message>
        <source>Urgent response late: a check-in (respond, depart, arrive) missed its target</source>
        <translation>紧急响应超时：响应、出发或到达打卡超过标准时限</translation>
    </message>
    <message>
        <source>Overdue: the deadline (%1) has passed and the task is still open</source>
        <translation>已逾期：期限（%1）已过，任务尚未办完</translation>
    </message>
    <message>
        <source>Due today (%1)</source>
        <translation>今日到期（%1）</translation>
    </message>
</context>
<context>
    <name>TasksArea</name>
    <message>
        <source>Instructions</source>
        <translation>任务指令</translation>
    </message>
    <message>
        <source>No matching tasks</source>
        <translation>没有符合条件的任务</translation>
    </message>
    <message>
        <source>Change the filters or the search words to see more tasks.</source>
        <translation>请调整筛选条件或搜索词。</translation>
    </message>
    <message>
        <source>%1 shown of %2</source>
        <translation>显示 %1 条，共 %2 条</translation>
    </message>
    <message>
        <source>(search index still being built: %1 records left, results may be incomplete)</source>
        <translation>（搜索索引仍在建立：还剩 %1 条，结果可能不完整）</translation>
    </message>
</context>
</TS>