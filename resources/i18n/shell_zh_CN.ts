<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Areas</name>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> (demo)</source>
        <translation>（演示）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>导出诊断信息…</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Resolve conflicts…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <source>Set recovery passphrase…</source>
        <translation>设置恢复口令…</translation>
    </message>
    <message>
        <source>Rotate the data key…</source>
        <translation>轮换数据密钥…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts…</source>
        <translation>快捷键…</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>关于%1</translation>
    </message>
    <message>
        <source>Go to %1</source>
        <translation>转到“%1”</translation>
    </message>
    <message>
        <source>A sync is already running; another will follow it.</source>
        <translation>正在同步，完成后会再同步一次。</translation>
    </message>
    <message>
        <source>Sync finished: %1 sent, %2 received</source>
        <translation>同步完成：上传 %1 条，收到 %2 条</translation>
    </message>
    <message>
        <source>, %1 conflicts to decide</source>
        <translation>，%1 处冲突待处理</translation>
    </message>
    <message>
        <source>This area could not be opened</source>
        <translation>该功能无法打开</translation>
    </message>
    <message>
        <source>An error was written to the log. Export diagnostics and send them to support.</source>
        <translation>错误已记入日志。请通过“文件 → 导出诊断信息”导出并发送给技术支持。</translation>
    </message>
    <message>
        <source>Export diagnostics</source>
        <translation>导出诊断信息</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>文件无法写入：%1</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1</source>
        <translation>诊断信息已保存到 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;Desktop client for township joint patrol and enforcement teams, Fuyang district, Hangzhou.&lt;br&gt;Works offline; syncs with the district command platform when online.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;杭州市富阳区乡镇（街道）联合巡查执法队桌面客户端。&lt;br&gt;断网也能工作；联网时与区行政执法统一指挥平台双向同步。</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Working offline on this laptop's data; connecting to the platform in the background…</source>
        <translation>正在使用本机数据离线工作；正在后台连接平台…</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>session expired — use Account → Sign out to sign in</source>
        <translation>登录已过期，请通过“账户 → 退出登录”重新登录</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Tasks</source>
        <extracomment>(key sequence in portable text, where, what) — translated when shown (QT_TRANSLATE_NOOP is typed `object`)</extracomment>
        <translation>任务</translation>
    </message>
    <message>
        <source>Search tasks</source>
        <translation>搜索任务</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Save the plan</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Evidence for the selected checklist item</source>
        <translation>为选中的检查项添加证据</translation>
    </message>
    <message>
        <source>Finalise the record</source>
        <translation>定稿检查记录</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>File a case (立案)</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Self-check the case file (案卷评查)</source>
        <translation>案卷自查（案卷评查）</translation>
    </message>
    <message>
        <source>Tasks, Inspections</source>
        <translation>任务、检查</translation>
    </message>
    <message>
        <source>Record an intervention (干预留痕)</source>
        <translation>记录干预（干预留痕）</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据（检查记录中）</translation>
    </message>
    <message>
        <source>Import evidence files</source>
        <translation>导入证据文件</translation>
    </message>
    <message>
        <source>Preview the selected file</source>
        <translation>预览选中的文件</translation>
    </message>
    <message>
        <source>Delete the selected file</source>
        <translation>删除选中的文件</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名板</translation>
    </message>
    <message>
        <source>Undo the last stroke</source>
        <translation>撤销上一笔</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>任何地方</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>在哪里</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Cannot open the local data</source>
        <translation>无法打开本机数据</translation>
    </message>
    <message>
        <source>Restore the newest backup</source>
        <translation>从最新备份恢复</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Starting the demo platform…</source>
        <translation>正在启动演示平台…</translation>
    </message>
    <message>
        <source>The demo platform could not be started: %1</source>
        <translation>演示平台无法启动：%1</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>%1 conflicts to decide</source>
        <extracomment>changes per pull page. Parsing and validating a page are single C calls that hold the GIL; pages of 500 keep each such pause well under a frame, so the GUI thread never waits long for the interpreter.</extracomment>
        <translation>%1 处冲突待处理</translation>
    </message>
    <message>
        <source>The platform refused %1 changes; see Sync → Refused</source>
        <translation>平台拒绝了 %1 项修改，请在“同步 → 被拒绝”中查看</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Uploading changes</source>
        <translation>正在上传修改</translation>
    </message>
    <message>
        <source>Uploading evidence</source>
        <translation>正在上传证据</translation>
    </message>
    <message>
        <source>Receiving updates</source>
        <translation>正在接收更新</translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation>正在建立搜索索引</translation>
    </message>
    <message>
        <source>Fetching document numbers</source>
        <translation>正在领取文号</translation>
    </message>
    <message>
        <source>never</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>today %1</source>
        <translation>今天 %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sync with the command platform now (F5)</source>
        <translation>立即与指挥平台同步（F5）</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline (working on local data)</source>
        <translation>离线（使用本机数据）</translation>
    </message>
    <message>
        <source>Offline — changes are kept on this laptop</source>
        <translation>离线——修改已保存在本机</translation>
    </message>
    <message>
        <source>The platform answers now; pending changes go up with the next sync</source>
        <translation>平台当前可连通；待上传的内容将在下次同步时上传</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Pending upload: %1</source>
        <translation>待上传：%1</translation>
    </message>
    <message>
        <source>%1 changes and %2 evidence files wait for the platform</source>
        <translation>%1 条修改、%2 个证据文件等待上传到平台</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>Click to decide which value to keep</source>
        <translation>点击处理：选择保留哪一方的内容</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>Changes the platform refused; click to see the reasons</source>
        <translation>平台拒绝的修改；点击查看原因</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
</context>
</TS>