<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>DocumentPrinter</name>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Print preview — %1</source>
        <translation>打印预览 — %1</translation>
    </message>
    <message numerus="yes">
        <source>Print %n document(s)</source>
        <translation><numerusform>打印 %n 份文书</numerusform></translation>
    </message>
    <message>
        <source>%1 documents</source>
        <translation>共 %1 份</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>DocumentTableModel</name>
    <message>
        <source>(not numbered)</source>
        <translation>（未编号）</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Enforcing body</source>
        <translation>执法主体</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>签发时间</translation>
    </message>
</context>
<context>
    <name>DocumentsArea</name>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>签发</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Record service…</source>
        <translation>送达登记…</translation>
    </message>
    <message>
        <source>%1 documents</source>
        <translation>共 %1 份</translation>
    </message>
    <message>
        <source>Numbers: none left — sync to receive a block</source>
        <translation>文号：本机已无可用文号，请联网同步领取</translation>
    </message>
    <message>
        <source>Numbers: %1 left · %2 series running low</source>
        <translation>文号：余 %1 个 · %2 类将用完</translation>
    </message>
    <message>
        <source>Numbers: %1 left</source>
        <translation>文号：余 %1 个</translation>
    </message>
    <message>
        <source>Numbers left on this laptop: %1</source>
        <translation>本机剩余文号：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无（请联网同步领取文号段）</translation>
    </message>
    <message>
        <source>Select a document.</source>
        <translation>请选择一份文书。</translation>
    </message>
    <message>
        <source>(numbered when issued)</source>
        <translation>（签发时编号）</translation>
    </message>
    <message>
        <source>Void reason</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>签发时间</translation>
    </message>
    <message>
        <source>Issued as %1.</source>
        <translation>已签发，文号：%1。</translation>
    </message>
    <message>
        <source>this draft</source>
        <translation>该草稿</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>Amount in yuan, e.g. 200</source>
        <translation>金额（元），如 200</translation>
    </message>
</context>
<context>
    <name>IssueConfirmDialog</name>
    <message>
        <source>Issue %1</source>
        <translation>签发%1</translation>
    </message>
    <message>
        <source>Enforcing body</source>
        <translation>执法主体</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>(no number free: sync to fetch number blocks)</source>
        <translation>（本机无可用文号，请联网同步领取文号段）</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Issue date</source>
        <translation>签发日期</translation>
    </message>
    <message>
        <source>Catalogue edition</source>
        <translation>事项目录版本</translation>
    </message>
    <message>
        <source>The enforcing body changed since the draft:</source>
        <translation>执法主体自起草以来已变更：</translation>
    </message>
    <message>
        <source>Issuing spends this number; an issued document can no longer be changed.</source>
        <translation>签发将占用此文号；已签发的文书不能再修改。</translation>
    </message>
    <message>
        <source>Issue in the new body's name</source>
        <translation>以新的执法主体签发</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>签发</translation>
    </message>
</context>
<context>
    <name>NewDocumentDialog</name>
    <message>
        <source>New document</source>
        <translation>新建文书</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(from the record)</source>
        <translation>（按检查记录确定）</translation>
    </message>
    <message>
        <source>Document type</source>
        <translation>文书类型</translation>
    </message>
    <message>
        <source>From inspection</source>
        <translation>依据检查记录</translation>
    </message>
    <message>
        <source>From instruction</source>
        <translation>依据任务</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>执法事项</translation>
    </message>
    <message>
        <source>The enforcing body, its seal and the number prefix follow from the matter catalogue; they cannot be typed.</source>
        <translation>执法主体、印章名称和文号前缀由事项目录自动确定，不能手工填写。</translation>
    </message>
</context>
<context>
    <name>ServiceDialog</name>
    <message>
        <source>Record service</source>
        <translation>送达登记</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>送达日期</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>受送达人</translation>
    </message>
    <message>
        <source>Witness</source>
        <translation>见证人</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>送达地点</translation>
    </message>
    <message>
        <source>Note (reason for refusal)</source>
        <translation>备注（拒收事由）</translation>
    </message>
    <message>
        <source>Enter the recipient.</source>
        <translation>请填写受送达人。</translation>
    </message>
    <message>
        <source>Service by leaving the document (留置) needs a witness.</source>
        <translation>留置送达须有见证人，请填写见证人。</translation>
    </message>
</context>
<context>
    <name>TableEditor</name>
    <message>
        <source>Add row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除行</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Void document</source>
        <translation>作废文书</translation>
    </message>
    <message>
        <source>Void %1? The number stays used and the document is kept.</source>
        <translation>确定作废 %1？文号不再使用，文书记录将保留。</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>作废原因（必填）</translation>
    </message>
</context>
</TS>