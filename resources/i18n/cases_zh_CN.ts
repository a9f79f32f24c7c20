<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CaseDetail</name>
    <message>
        <source>Select a case.</source>
        <translation>请选择一个案件。</translation>
    </message>
    <message>
        <source>Enforcing body</source>
        <translation>执法主体</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Refused by the platform</source>
        <translation>平台拒绝的步骤</translation>
    </message>
    <message>
        <source>Next legal step: none (the case is closed)</source>
        <translation>下一步法定程序：无（案件已办结）</translation>
    </message>
    <message>
        <source>Next legal step</source>
        <translation>下一步法定程序</translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation>剩余 %1 天</translation>
    </message>
    <message>
        <source>Late-payment surcharge owed</source>
        <translation>应加处罚款</translation>
    </message>
    <message>
        <source>Clocks</source>
        <translation>法定期限</translation>
    </message>
    <message>
        <source>(draft)</source>
        <translation>（草稿）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>案件文书</translation>
    </message>
    <message>
        <source>Legality review</source>
        <translation>法制审核</translation>
    </message>
</context>
<context>
    <name>CasesArea</name>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Case title</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>办理中的案件</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>全部案件</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>File case…</source>
        <translation>立案…</translation>
    </message>
    <message>
        <source>Self-check open cases</source>
        <translation>在办案件自查</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>办案步骤</translation>
    </message>
    <message>
        <source>Take step…</source>
        <translation>办理步骤…</translation>
    </message>
    <message>
        <source>Draft document</source>
        <translation>起草文书</translation>
    </message>
    <message>
        <source>Self-check</source>
        <translation>自查</translation>
    </message>
    <message>
        <source>Case file self-check before the district's review (Ctrl+Shift+C)</source>
        <translation>案卷评查前自查（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>%1 cases</source>
        <translation>共 %1 件</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>暂不能办理</translation>
    </message>
    <message>
        <source>Checking %1/%2…</source>
        <translation>正在自查 %1/%2…</translation>
    </message>
    <message>
        <source>Draft created; edit and issue it in Documents.</source>
        <translation>已起草文书草稿，请到“文书”中编辑并签发。</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <source>File a case</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Inspection finding</source>
        <translation>检查发现</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉举报</translation>
    </message>
    <message>
        <source>Received transfer</source>
        <translation>移送接收</translation>
    </message>
    <message>
        <source>(the finding's matter)</source>
        <translation>（检查发现所属事项）</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>法人或其他组织</translation>
    </message>
    <message>
        <source>Citizen</source>
        <translation>公民</translation>
    </message>
    <message>
        <source>Continuing act, ended on:</source>
        <translation>连续或继续状态的违法行为，终了于：</translation>
    </message>
    <message>
        <source>Life, health or financial safety harmed</source>
        <translation>涉及公民生命健康安全、金融安全且有危害后果</translation>
    </message>
    <message>
        <source>Complex case</source>
        <translation>案情疑难复杂</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>检查发现</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>执法事项</translation>
    </message>
    <message>
        <source>Case title</source>
        <translation>案由</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Party type</source>
        <translation>当事人类型</translation>
    </message>
    <message>
        <source>ID number / credit code</source>
        <translation>身份证号码／统一社会信用代码</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人（负责人）</translation>
    </message>
    <message>
        <source>Date of the act</source>
        <translation>违法行为发生日期</translation>
    </message>
    <message>
        <source>Complaint / sender and letter</source>
        <translation>投诉内容／移送机关及函号</translation>
    </message>
    <message>
        <source>Party fields left empty are taken from the on-site record or the target.</source>
        <translation>当事人信息留空时，取自现场检查笔录或检查对象。</translation>
    </message>
</context>
<context>
    <name>SelfCheckDialog</name>
    <message>
        <source>Case file self-check</source>
        <translation>案卷评查自查</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>评查标准</translation>
    </message>
    <message>
        <source>Defect</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>How to fix</source>
        <translation>整改方法</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No open cases to check.</source>
        <translation>没有需要自查的在办案件。</translation>
    </message>
    <message>
        <source>%1 %2: score %3, %4 (file form %5, content %6), %7 defects</source>
        <translation>%1 %2：得分 %3，%4（卷面 %5，内容 %6），问题 %7 项</translation>
    </message>
    <message>
        <source> — a basic standard failed: the file is unacceptable</source>
        <translation> —— 基本标准不符合，案卷不合格</translation>
    </message>
    <message>
        <source>The weights are illustrative configuration (resources/config/case_review.json).</source>
        <translation>分值为示例配置（resources/config/case_review.json），以区级评查标准为准。</translation>
    </message>
    <message>
        <source>Export XLSX</source>
        <translation>导出 XLSX</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Written: %1</source>
        <translation>已写入：%1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Date of the step</source>
        <extracomment>action → fields: (key, kind, English label); kinds: text, multiline, amount, date, days, kinds, bool, choice:…</extracomment>
        <translation>办理日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
</TS>