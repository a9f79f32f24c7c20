<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign officers</source>
        <translation>指派执法人员</translation>
    </message>
    <message>
        <source>Choose who handles %1:</source>
        <translation>请选择承办 %1 的人员：</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>指派</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>Officer notes</source>
        <translation>队员备注</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Assignees</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Whole record</source>
        <translation>整条记录</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Conflicts with the platform</source>
        <translation>与平台的冲突</translation>
    </message>
    <message>
        <source>The same field was changed on this laptop and on the platform. Nothing has been lost: choose which value to keep, or edit a merged text.</source>
        <translation>同一内容在本机和平台上都被修改过。两边的内容都已保留：请选择保留哪一方，或编辑合并后的内容。</translation>
    </message>
    <message>
        <source>Before both edits</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>This laptop</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Merged text (editable)</source>
        <translation>合并后的内容（可编辑）</translation>
    </message>
    <message>
        <source>No open conflicts</source>
        <translation>没有待处理的冲突</translation>
    </message>
    <message>
        <source>Everything agrees with the platform.</source>
        <translation>本机数据与平台一致。</translation>
    </message>
    <message>
        <source>Keep this laptop's value</source>
        <translation>保留本机</translation>
    </message>
    <message>
        <source>Use the platform's value</source>
        <translation>采用平台</translation>
    </message>
    <message>
        <source>Save merged text</source>
        <translation>保存合并结果</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This field is managed by the command platform, so the platform's value is in force. Your value is kept here for reference; choosing it sends it to the platform as a new change.</source>
        <translation>该字段由指挥平台管理，现以平台的值为准。本机的值保留在此供参考；选择“保留本机”会把它作为一次新的修改提交到平台。</translation>
    </message>
    <message>
        <source>The platform deleted this record while this laptop still had changes to it. Keep it on this laptop, or remove it here as well.</source>
        <translation>平台已删除这条记录，而本机仍有未同步的修改。您可以在本机保留它，或在本机也删除。</translation>
    </message>
    <message>
        <source>Keep on this laptop</source>
        <translation>在本机保留</translation>
    </message>
    <message>
        <source>Delete here too</source>
        <translation>本机也删除</translation>
    </message>
    <message>
        <source>Both sides edited this field since the last sync.</source>
        <translation>自上次同步以来，本机和平台都修改了这一内容。</translation>
    </message>
    <message>
        <source>Could not save the decision: %1</source>
        <translation>处理结果未能保存：%1</translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>Rotate the key</source>
        <translation>轮换密钥</translation>
    </message>
    <message>
        <source>Replace the key that protects this laptop's data in the system keyring? The data stays as it is; the recovery passphrase keeps working.</source>
        <translation>要更换系统钥匙串中保护本机数据的密钥吗？本机数据不受影响，恢复口令继续有效。</translation>
    </message>
    <message>
        <source>The key in the system keyring has been replaced.</source>
        <translation>系统钥匙串中的密钥已更换。</translation>
    </message>
    <message>
        <source>Device revoked</source>
        <translation>设备已注销</translation>
    </message>
</context>
<context>
    <name>RecoveryUnlockDialog</name>
    <message>
        <source>Unlock the local data — %1</source>
        <extracomment>the StoreError codes after which the recovery passphrase can open the data</extracomment>
        <translation>解锁本机数据 — %1</translation>
    </message>
    <message>
        <source>Recovery passphrase:</source>
        <translation>恢复口令：</translation>
    </message>
    <message>
        <source>Open with the passphrase</source>
        <translation>用恢复口令打开</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Enter the recovery passphrase.</source>
        <translation>请输入恢复口令。</translation>
    </message>
    <message>
        <source>Checking the passphrase…</source>
        <translation>正在核对恢复口令…</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Report back</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Report to the command centre how %1 was handled:</source>
        <translation>向指挥中心反馈 %1 的处置情况：</translation>
    </message>
    <message>
        <source>What was found on site and what was done</source>
        <translation>现场发现的情况和采取的处置措施</translation>
    </message>
    <message>
        <source>Attachments (optional, imported as evidence):</source>
        <translation>附件（可选，作为证据导入）：</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Submit report</source>
        <translation>提交反馈</translation>
    </message>
    <message>
        <source>Choose attachments</source>
        <translation>选择附件</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was attached.</source>
        <translation>已取消导入，未添加任何附件。</translation>
    </message>
    <message>
        <source>Attachments could not be imported: %1</source>
        <translation>附件未能导入：%1</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return task</source>
        <translation>退回任务</translation>
    </message>
    <message>
        <source>Return %1 to the command centre. Please give the reason:</source>
        <translation>将 %1 退回指挥中心，请填写退回原因：</translation>
    </message>
    <message>
        <source>e.g. not within this township's jurisdiction</source>
        <translation>例如：不属于本乡镇管辖范围</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
</context>
<context>
    <name>SetRecoveryDialog</name>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>The data on this laptop is encrypted; its key is kept in the system keyring. Set a recovery passphrase so that the data can still be opened if the keyring is lost or unavailable. Keep it somewhere safe: it cannot be recovered if forgotten.</source>
        <translation>本机数据已加密，密钥保存在系统钥匙串中。请设置恢复口令：系统钥匙串丢失或无法使用时，可以用它打开本机数据。请妥善保管，忘记后无法找回。</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>恢复口令：</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>再次输入：</translation>
    </message>
    <message>
        <source>Set passphrase</source>
        <translation>设置恢复口令</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的恢复口令不一致。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <source>Township joint patrol and enforcement · sign in to the command platform</source>
        <translation>乡镇联合巡查执法 · 登录区行政执法指挥平台</translation>
    </message>
    <message>
        <source>Demo mode: a practice platform runs on this computer; data is discarded when the program exits.</source>
        <translation>演示模式：本机运行一个练习用平台，退出程序后数据即被清除。</translation>
    </message>
    <message>
        <source>e.g. xindeng.leader</source>
        <translation>例如 xindeng.leader</translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation>在本机保持登录</translation>
    </message>
    <message>
        <source>Platform address</source>
        <translation>平台地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Please enter the platform address, starting with https:// (or http:// for a local test platform).</source>
        <translation>请填写平台地址，以 https:// 开头（本机测试平台可用 http://）。</translation>
    </message>
    <message>
        <source>Please enter your username.</source>
        <translation>请填写用户名。</translation>
    </message>
    <message>
        <source>Please enter your password.</source>
        <translation>请填写密码。</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>已取消登录。</translation>
    </message>
    <message>
        <source>Wrong username or password. Please check and try again.</source>
        <translation>用户名或密码错误，请核对后重试。</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>The platform's certificate could not be verified, so the connection was stopped to protect your data. Check the address or ask the administrator for the certificate.</source>
        <translation>平台证书校验失败，为保护数据已中止连接。请核对平台地址，或请管理员提供受信任的证书。</translation>
    </message>
    <message>
        <source>Cannot reach the platform at %1. Check the network connection and the address, then try again.</source>
        <translation>无法连接平台（%1）。请检查网络连接和平台地址后重试。</translation>
    </message>
    <message>
        <source>The platform cannot handle the sign-in right now. Please try again later.</source>
        <translation>平台暂时无法处理登录请求，请稍后重试。</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
</TS>