<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>EvidenceGallery</name>
    <message>
        <source>&amp;Import files…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <source>Import a &amp;folder…</source>
        <translation>导入文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>A whole camera card: photos, videos, recordings and documents</source>
        <translation>整张相机存储卡：照片、视频、录音和文档</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>No evidence yet</source>
        <translation>还没有证据</translation>
    </message>
    <message>
        <source>Drag photos, videos or recordings here, or click Import files… (Ctrl+I); a camera card: Import a folder…</source>
        <translation>把照片、视频或录音拖到这里，或点“导入文件…”（Ctrl+I）；整张相机存储卡请点“导入文件夹…”。</translation>
    </message>
    <message>
        <source>%1 items</source>
        <translation>共 %1 项</translation>
    </message>
    <message>
        <source>&amp;Void…</source>
        <translation>作废(&amp;V)…</translation>
    </message>
    <message>
        <source>Import evidence</source>
        <translation>导入证据</translation>
    </message>
    <message>
        <source>Import a folder (camera card)</source>
        <translation>导入文件夹（相机存储卡）</translation>
    </message>
    <message>
        <source>The record is finalised: no more evidence can be added.</source>
        <translation>检查记录已定稿，不能再添加证据。</translation>
    </message>
    <message>
        <source>An import is still running.</source>
        <translation>上一次导入尚未完成。</translation>
    </message>
    <message>
        <source>Void evidence</source>
        <translation>作废证据</translation>
    </message>
    <message>
        <source>The record is finalised: the evidence is kept and marked void. Reason:</source>
        <translation>检查记录已定稿：证据将保留并标记为作废。作废原因：</translation>
    </message>
    <message>
        <source>Evidence voided.</source>
        <translation>证据已作废。</translation>
    </message>
    <message>
        <source>A reason is required to void evidence.</source>
        <translation>作废证据必须填写原因。</translation>
    </message>
    <message>
        <source>Delete evidence</source>
        <translation>删除证据</translation>
    </message>
    <message>
        <source>Remove “%1” from this record?</source>
        <translation>从本检查记录中删除“%1”？</translation>
    </message>
    <message>
        <source>Evidence removed.</source>
        <translation>证据已删除。</translation>
    </message>
</context>
<context>
    <name>EvidenceImporter</name>
    <message>
        <source>Looking for files…</source>
        <translation>正在查找文件…</translation>
    </message>
    <message>
        <source>Importing %1 of %2: %3</source>
        <translation>正在导入第 %1 / %2 个：%3</translation>
    </message>
</context>
<context>
    <name>EvidencePreviewDialog</name>
    <message>
        <source>Cannot play this file here: %1</source>
        <translation>本机无法播放此文件：%1</translation>
    </message>
    <message>
        <source>Documents are kept as imported; open the file from the evidence folder to read it.</source>
        <translation>文档按导入时原样保存；如需阅读，请从证据文件夹打开。</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Imported:</source>
        <translation>导入时间：</translation>
    </message>
    <message>
        <source>Taken (EXIF):</source>
        <translation>拍摄时间（EXIF）：</translation>
    </message>
    <message>
        <source>Position (GPS):</source>
        <translation>拍摄位置（GPS）：</translation>
    </message>
    <message>
        <source>Check item:</source>
        <translation>检查项：</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256：</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>平台：</translation>
    </message>
    <message>
        <source>uploaded and verified</source>
        <translation>已上传并校验</translation>
    </message>
    <message>
        <source>waiting for upload</source>
        <translation>等待上传</translation>
    </message>
    <message>
        <source>Voided:</source>
        <translation>已作废：</translation>
    </message>
</context>
<context>
    <name>MediaPlayerWidget</name>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Cannot play this file here: %1</source>
        <translation>本机无法播放此文件：%1</translation>
    </message>
</context>
<context>
    <name>PhotoView</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Cannot show this image: %1</source>
        <translation>无法显示此图片：%1</translation>
    </message>
</context>
<context>
    <name>importer</name>
    <message>
        <source>Importing evidence…</source>
        <translation>正在导入证据…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import evidence</source>
        <translation>导入证据</translation>
    </message>
</context>
</TS>