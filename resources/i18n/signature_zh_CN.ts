<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>RefusalDialog</name>
    <message>
        <source>Refusal to sign — %1</source>
        <translation>拒绝签名 — %1</translation>
    </message>
    <message>
        <source>Why the signature was refused</source>
        <translation>拒绝签名的原因</translation>
    </message>
    <message>
        <source>Name of the witness present</source>
        <translation>在场见证人姓名</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Witness:</source>
        <translation>见证人(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Record refusal</source>
        <translation>记录拒签(&amp;R)</translation>
    </message>
    <message>
        <source>Please give the reason for the refusal.</source>
        <translation>请填写拒绝签名的原因。</translation>
    </message>
    <message>
        <source>A refusal must be witnessed: please enter the witness's name.</source>
        <translation>拒签须有见证人，请填写见证人姓名。</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>Signature — %1</source>
        <translation>签名 — %1</translation>
    </message>
    <message>
        <source>%1, please sign in the box with the mouse, a pen or a finger.</source>
        <translation>请%1用鼠标、手写笔或手指在框内签名。</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>请在此处签名</translation>
    </message>
    <message>
        <source>&amp;Undo stroke</source>
        <translation>撤销一笔(&amp;U)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Confirm signature</source>
        <translation>确认签名(&amp;C)</translation>
    </message>
</context>
</TS>