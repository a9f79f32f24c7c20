<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Autosaver</name>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Not saved — will retry</source>
        <translation>未保存——将自动重试</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Saving failed: %1</source>
        <translation>保存失败：%1</translation>
    </message>
</context>
<context>
    <name>BasicsSection</name>
    <message>
        <source>Time and place</source>
        <translation>时间与地点</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>&amp;Now</source>
        <translation>现在(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Started:</source>
        <translation>开始时间(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Ended:</source>
        <translation>结束时间(&amp;E)：</translation>
    </message>
    <message>
        <source>P&amp;lace:</source>
        <translation>检查地点(&amp;L)：</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>&amp;Certificates shown to the party (Art. 55)</source>
        <translation>已向当事人出示执法证件（第五十五条）(&amp;C)</translation>
    </message>
    <message>
        <source>Party told of the right to ask for &amp;recusal</source>
        <translation>已告知当事人申请回避的权利(&amp;R)</translation>
    </message>
    <message>
        <source>On-site person and witnesses</source>
        <translation>现场负责人与见证人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Position / address</source>
        <translation>职务 / 住址</translation>
    </message>
    <message>
        <source>On-site &amp;person:</source>
        <translation>现场负责人(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Witness %1:</source>
        <translation>见证人 %1(&amp;W)：</translation>
    </message>
    <message>
        <source>Witness %1:</source>
        <translation>见证人 %1：</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Observations on site</source>
        <translation>现场情况及其他发现</translation>
    </message>
    <message>
        <source>What was seen on site besides the checklist…</source>
        <translation>检查清单以外的现场情况…</translation>
    </message>
    <message>
        <source>%1 certified officers: the team may inspect</source>
        <translation>%1 名持有效执法证人员，可以开展检查</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Check item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Facts found</source>
        <translation>违法事实</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Enforcing body</source>
        <translation>执法主体</translation>
    </message>
    <message>
        <source>Matters:</source>
        <translation>所属事项：</translation>
    </message>
    <message>
        <source>In the name of:</source>
        <translation>执法主体：</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <source>Keys: 1 compliant · 2 violation · 3 not applicable · Enter: facts found (violation) or note</source>
        <translation>快捷键：1 符合 · 2 不符合 · 3 不适用 · 回车：填写违法事实（不符合项）或备注</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>Follow-ups of the violations found</source>
        <translation>违法行为的后续处置</translation>
    </message>
    <message>
        <source>Choose what follows from each violation. Transfers the rules require are selected; what was created before is marked done.</source>
        <translation>请为每项违法行为选择后续处置。依规必须移送的已预先选中；此前已办理的标为“已办理”。</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Violation</source>
        <translation>违法情形</translation>
    </message>
    <message>
        <source>To</source>
        <translation>接收部门</translation>
    </message>
    <message>
        <source>Why / details</source>
        <translation>理由 / 说明</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Correction &amp;deadline:</source>
        <translation>改正期限(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Create selected</source>
        <translation>办理所选(&amp;C)</translation>
    </message>
    <message>
        <source> Reply by %1.</source>
        <translation>请于 %1 前回复。</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已办理</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必须</translation>
    </message>
    <message>
        <source>No violation was found: nothing needs to follow.</source>
        <translation>未发现违法行为，无需后续处置。</translation>
    </message>
    <message>
        <source>Nothing selected.</source>
        <translation>未选择任何处置。</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在办理…</translation>
    </message>
    <message>
        <source>Created %1 follow-ups: drafts are in the Documents area, re-checks in Plans, transfers and notices are queued for the platform.</source>
        <translation>已办理 %1 项后续处置：文书草稿见“文书”，复查计划见“计划”，移送与抄告已排队等待上报平台。</translation>
    </message>
</context>
<context>
    <name>InspectionForm</name>
    <message>
        <source>← &amp;Back to list</source>
        <translation>← 返回列表(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Retry now</source>
        <translation>立即重试(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Evidence for this item…</source>
        <translation>为此项导入证据(&amp;E)…</translation>
    </message>
    <message>
        <source>Keys: 1 compliant · 2 violation · 3 not applicable · Enter: facts found (violation) or note</source>
        <translation>快捷键：1 符合 · 2 不符合 · 3 不适用 · 回车：填写违法事实（不符合项）或备注</translation>
    </message>
    <message>
        <source>&amp;1 Basics</source>
        <translation>&amp;1 基本情况</translation>
    </message>
    <message>
        <source>&amp;2 Party</source>
        <translation>&amp;2 当事人</translation>
    </message>
    <message>
        <source>&amp;3 Checklist</source>
        <translation>&amp;3 检查清单</translation>
    </message>
    <message>
        <source>&amp;4 Evidence</source>
        <translation>&amp;4 证据</translation>
    </message>
    <message>
        <source>&amp;5 Signatures and finalise</source>
        <translation>&amp;5 签名与完成</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>Finalised</source>
        <translation>已定稿</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>记录中</translation>
    </message>
    <message>
        <source>Checked %1 of %2</source>
        <translation>已检查 %1 / %2 项</translation>
    </message>
    <message>
        <source>Some edits are not saved yet; they are retried automatically. Please stay on this record until they are saved.</source>
        <translation>部分修改尚未保存，正在自动重试。请在保存成功前停留在本检查记录。</translation>
    </message>
    <message>
        <source>Evidence for this item</source>
        <translation>为此检查项导入证据</translation>
    </message>
</context>
<context>
    <name>InspectionListPage</name>
    <message>
        <source>Inspections</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Open and today's inspections</source>
        <translation>进行中及今日的检查</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>&amp;Open inspection</source>
        <translation>打开检查记录(&amp;O)</translation>
    </message>
    <message>
        <source>Planned visits to start from</source>
        <translation>可开始的检查计划</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>计划时间</translation>
    </message>
    <message>
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>&amp;Start inspection</source>
        <translation>开始检查(&amp;S)</translation>
    </message>
</context>
<context>
    <name>PartySection</name>
    <message>
        <source>&amp;Organisation</source>
        <translation>单位(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Person</source>
        <translation>个人(&amp;P)</translation>
    </message>
    <message>
        <source>The party is:</source>
        <translation>当事人类型：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Credit code:</source>
        <translation>统一社会信用代码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Legal representative:</source>
        <translation>法定代表人（负责人）(&amp;L)：</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>地址(&amp;D)：</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>联系电话(&amp;H)：</translation>
    </message>
    <message>
        <source>Full &amp;name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Sex:</source>
        <translation>性别(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;ID number:</source>
        <translation>身份证号码(&amp;I)：</translation>
    </message>
</context>
<context>
    <name>SigningSection</name>
    <message>
        <source>Signatures</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Finalise</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>&amp;Finalise and lock</source>
        <translation>完成并锁定(&amp;F)</translation>
    </message>
    <message>
        <source>Follow-&amp;ups…</source>
        <translation>后续处置(&amp;U)…</translation>
    </message>
    <message>
        <source> (optional)</source>
        <translation>（可选）</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <source>Refused…</source>
        <translation>拒签…</translation>
    </message>
    <message>
        <source>The record is finalised and locked; it is queued for the platform.</source>
        <translation>检查记录已完成并锁定，已排队等待上报平台。</translation>
    </message>
    <message>
        <source>Everything needed is recorded: the record can be finalised.</source>
        <translation>所需内容均已记录，可以完成并锁定。</translation>
    </message>
    <message>
        <source>Still missing before the record can be finalised:</source>
        <translation>完成并锁定前还需：</translation>
    </message>
</context>
<context>
    <name>TimeEdit</name>
    <message>
        <source>not filled in</source>
        <translation>未填写</translation>
    </message>
</context>
</TS>