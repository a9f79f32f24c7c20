; Inno Setup script for 联巡通 (per-user install, no admin rights needed).
; Build the one-folder bundle first (python installer/build.py), then: iscc /DAppVersion=0.1.0 lianxuntong.iss
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C2A52-4B7E-4C53-9D0F-2C1B7A0E5A31}
AppName=联巡通
AppVersion={#AppVersion}
AppPublisher=富阳区行政执法指挥中心
DefaultDirName={localappdata}\Programs\lianxuntong
DefaultGroupName=联巡通
PrivilegesRequired=lowest
OutputBaseFilename=lianxuntong-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\lianxuntong.exe
WizardStyle=modern

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "创建桌面快捷方式"; GroupDescription: "附加任务:"

[Files]
Source: "..\..\dist\lianxuntong\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\联巡通"; Filename: "{app}\lianxuntong.exe"
Name: "{group}\联巡通（演示模式）"; Filename: "{app}\lianxuntong.exe"; Parameters: "--demo"
Name: "{group}\卸载联巡通"; Filename: "{uninstallexe}"
Name: "{userdesktop}\联巡通"; Filename: "{app}\lianxuntong.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\lianxuntong.exe"; Description: "启动联巡通"; Flags: nowait postinstall skipifsilent

[Code]
// The per-user data (database, evidence, documents) lives in %LOCALAPPDATA%\lianxuntong (platformdirs).
// Uninstalling keeps it unless the person asks for it to be removed.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\lianxuntong');
    if DirExists(DataDir) then
      if MsgBox('是否同时删除本机上的执法数据（数据库、证据文件、文书）？' + #13#10 +
                '选择“否”将保留数据，重新安装后可继续使用。', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
