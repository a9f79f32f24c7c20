<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChecksPanel</name>
    <message>
        <source>Checks</source>
        <translation>校验结果</translation>
    </message>
    <message>
        <source>Merged checklist</source>
        <translation>合并检查表预览</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>不可保存</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>No problems: the plan can be saved.</source>
        <translation>校验通过，可以保存计划。</translation>
    </message>
    <message>
        <source>%1 refused, %2 warnings</source>
        <translation>%1 项不可保存，%2 项提醒</translation>
    </message>
    <message>
        <source>Merge into that plan</source>
        <translation>并入该计划</translation>
    </message>
    <message>
        <source>Add this draft's matters, officers and instructions to the plan of %1</source>
        <translation>将本草稿的事项、人员和指令并入 %1 的计划</translation>
    </message>
    <message>
        <source>Choose matters to see the checklist.</source>
        <translation>选择检查事项后显示合并检查表。</translation>
    </message>
    <message>
        <source>%1 check points, identical points listed once</source>
        <translation>共 %1 个检查要点（相同要点只列一次）</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>牵头</translation>
    </message>
    <message>
        <source>in the name of</source>
        <translation>执法主体：</translation>
    </message>
</context>
<context>
    <name>DrawDialog</name>
    <message>
        <source>Random inspection draw (double random, one public)</source>
        <translation>双随机、一公开抽查</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>抽查任务名称</translation>
    </message>
    <message>
        <source>Items (random list)</source>
        <translation>抽查事项（清单内）</translation>
    </message>
    <message>
        <source>Grids (none = all)</source>
        <translation>网格（不选即全部）</translation>
    </message>
    <message>
        <source>Industries (none = all)</source>
        <translation>行业（不选即全部）</translation>
    </message>
    <message>
        <source>Risk grades (none = all)</source>
        <translation>风险等级（不选即全部）</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Proportion</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>抽取数量</translation>
    </message>
    <message>
        <source>Inspectors per target</source>
        <translation>每户检查人员数</translation>
    </message>
    <message>
        <source>Exclude inspectors posted to the target's grid</source>
        <translation>排除检查对象所在网格的执法人员</translation>
    </message>
    <message>
        <source>Exclude the units posted to the target's grid</source>
        <translation>排除检查对象所在网格的属地单位人员</translation>
    </message>
    <message>
        <source>Inspection date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>empty: a fresh random seed</source>
        <translation>留空则自动生成随机种子</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Preview pool</source>
        <translation>预览名录库</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>抽取</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Inspectors</source>
        <translation>执法检查人员</translation>
    </message>
    <message>
        <source>Re-run and verify</source>
        <translation>复现验证</translation>
    </message>
    <message>
        <source>Create inspection plans</source>
        <translation>生成检查计划</translation>
    </message>
    <message>
        <source>Publication PDF…</source>
        <translation>导出公示 PDF…</translation>
    </message>
    <message>
        <source>Publication CSV…</source>
        <translation>导出公示 CSV…</translation>
    </message>
    <message>
        <source>Pool: %1 targets, %2 certified inspectors; %3 targets will be drawn.</source>
        <translation>名录库：检查对象 %1 户，持证执法人员 %2 名；将抽取 %3 户。</translation>
    </message>
    <message>
        <source>Left out:</source>
        <translation>未入库人员：</translation>
    </message>
    <message>
        <source>not enough inspectors</source>
        <translation>人员不足</translation>
    </message>
    <message>
        <source>drawn</source>
        <translation>抽取</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>抽取算法</translation>
    </message>
    <message>
        <source>Pool snapshot SHA-256</source>
        <translation>名录快照 SHA-256</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>名录库</translation>
    </message>
    <message>
        <source>exclusions recorded</source>
        <translation>回避/排除记录</translation>
    </message>
    <message>
        <source>Drawn by computer from a recorded pool snapshot; Re-run and verify repeats it exactly</source>
        <translation>由计算机按已记录的名录快照随机抽取；点“复现验证”可原样复现</translation>
    </message>
    <message>
        <source>Re-run from the snapshot and seed: identical result.</source>
        <translation>按快照和种子复现：结果一致。</translation>
    </message>
    <message>
        <source>Re-run gives a DIFFERENT result!</source>
        <translation>复现结果不一致！</translation>
    </message>
    <message>
        <source>%1 inspection plans created.</source>
        <translation>已生成 %1 个检查计划。</translation>
    </message>
    <message>
        <source>Publication PDF</source>
        <translation>公示 PDF</translation>
    </message>
    <message>
        <source>Publication CSV</source>
        <translation>公示 CSV</translation>
    </message>
</context>
<context>
    <name>JointPlanner</name>
    <message>
        <source>New joint inspection (one visit, many checks)</source>
        <translation>新建综合查一次（进一次门、查多项事）</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>检查时间</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Supporting departments</source>
        <translation>配合部门</translation>
    </message>
    <message>
        <source>Fill from matters</source>
        <translation>按事项填入</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>Open instructions on this target</source>
        <translation>该对象的未办结指令（勾选即关联）</translation>
    </message>
    <message>
        <source>Matters (suggested ones highlighted)</source>
        <translation>检查事项（★ 为推荐事项）</translation>
    </message>
    <message>
        <source>Filter matters by code, name or field</source>
        <translation>按代码、名称或领域筛选事项</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Print notice and checklist…</source>
        <translation>打印检查通知及检查表…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Save plan</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <source>Only the team leader can make or change plans; you can view and print.</source>
        <translation>只有队长可以制定或修改计划；您可以查看和打印。</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>no certificate</source>
        <translation>无执法证</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>%1 matters chosen</source>
        <translation>已选 %1 项事项</translation>
    </message>
    <message>
        <source>no target yet</source>
        <translation>尚未选择检查对象</translation>
    </message>
    <message>
        <source>Plan: %1 (%2)</source>
        <translation>计划：%1（%2）</translation>
    </message>
    <message>
        <source>editable</source>
        <translation>可编辑</translation>
    </message>
    <message>
        <source>read only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Plan id: %1</source>
        <translation>计划编号（系统内部）：%1</translation>
    </message>
    <message>
        <source>Plan saved; it will be sent to the platform at the next sync.</source>
        <translation>计划已保存，将在下次同步时上报平台。</translation>
    </message>
    <message>
        <source>Plan not saved</source>
        <translation>计划未保存</translation>
    </message>
    <message>
        <source>Merge plans</source>
        <translation>合并计划</translation>
    </message>
    <message>
        <source>Add this draft's matters, officers and instructions to the existing plan, so the target is visited once?</source>
        <translation>将本草稿的检查事项、执法人员和指令并入已有计划，对该对象只上门一次？</translation>
    </message>
    <message>
        <source>Merged into the existing plan.</source>
        <translation>已并入已有计划。</translation>
    </message>
</context>
<context>
    <name>PlanPrinting</name>
    <message>
        <source>Inspection notice and checklist</source>
        <translation>检查通知及检查表</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF written: %1</source>
        <translation>PDF 已生成：%1</translation>
    </message>
</context>
<context>
    <name>PlanningArea</name>
    <message>
        <source>Plans</source>
        <translation>检查计划</translation>
    </message>
    <message>
        <source>New joint inspection</source>
        <translation>新建综合查一次</translation>
    </message>
    <message>
        <source>Random draw…</source>
        <translation>双随机抽查…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Open in planner</source>
        <translation>打开编辑</translation>
    </message>
    <message>
        <source>Cancel plan…</source>
        <translation>取消计划…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>检查时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Matters</source>
        <translation>事项数</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>No inspection plans yet</source>
        <translation>还没有检查计划</translation>
    </message>
    <message>
        <source>Click New joint inspection to plan a visit for open instructions, or Random draw… for a 双随机 inspection.</source>
        <translation>点“新建综合查一次”为待办任务安排一次上门检查，或点“双随机抽查…”抽取检查对象和检查人员。</translation>
    </message>
    <message>
        <source>Plans are made by the team leader. A 核查 or 投诉举报 task assigned to you can be inspected directly: open it under Tasks and click Start inspection.</source>
        <translation>检查计划由队长制定。指派给您的核查或投诉举报任务可直接检查：在“任务”中打开它，点“开始检查”。</translation>
    </message>
    <message>
        <source>Plan list</source>
        <translation>计划列表</translation>
    </message>
    <message>
        <source>Joint inspection planner</source>
        <translation>综合查一次计划编制</translation>
    </message>
    <message>
        <source>%1 plans</source>
        <translation>共 %1 个计划</translation>
    </message>
    <message>
        <source>Cancel plan</source>
        <translation>取消计划</translation>
    </message>
    <message>
        <source>Reason for cancelling:</source>
        <translation>取消原因：</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <source>Search target by name, credit code or address</source>
        <translation>按名称、统一社会信用代码或地址搜索检查对象</translation>
    </message>
    <message>
        <source>No target chosen</source>
        <translation>尚未选择检查对象</translation>
    </message>
    <message>
        <source>No matching target</source>
        <translation>没有符合条件的检查对象</translation>
    </message>
    <message>
        <source>industry: %1</source>
        <translation>行业：%1</translation>
    </message>
</context>
</TS>