; CCHC Desktop: the Windows installer, built from the PyInstaller one-folder bundle.
;
;   makensis /DVERSION=1.2.3 /DBUNDLE=..\..\dist\cchc-desktop-1.2.3 /DOUTFILE=setup.exe cchc-desktop.nsi
;
; (build/installer.py passes these.) Per-user: no administrator rights, installed under
; %LOCALAPPDATA%\Programs\CCHC Desktop, shortcuts in the user's Start menu and on the desktop,
; an uninstall entry under HKCU. Upgrading installs over the old version in place: the program
; folder is replaced, the data (%LOCALAPPDATA%\CCHC Desktop: databases, evidence, backups,
; settings) is never touched, neither by an upgrade nor by the uninstaller.

Unicode true
!ifndef VERSION
  !error "VERSION is required: makensis /DVERSION=x.y.z ..."
!endif
!ifndef BUNDLE
  !error "BUNDLE is required: the PyInstaller folder dist\cchc-desktop-<version>"
!endif
!ifndef OUTFILE
  !define OUTFILE "cchc-desktop-${VERSION}-setup.exe"
!endif
!ifdef FAST
  SetCompress off          ; CI's compile check: the script, not the compression
!else
  SetCompressor /SOLID lzma
!endif

!define APP_NAME "CCHC Desktop"
!define APP_EXE "cchc-desktop.exe"
!define CLI_EXE "cchc.exe"
!define PUBLISHER "Bộ phận tham mưu cải cách hành chính"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CCHCDesktop"
!define APP_KEY "Software\CCHC\CCHC Desktop"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=1066 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "..\..\resources\icons\app.ico"
!define MUI_UNICON "..\..\resources\icons\app.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

Function .onInit
  ; A running copy would keep its files locked: ask the user to close it first.
  FindWindow $0 "" "${APP_NAME}"
  StrCmp $0 0 +3
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "${APP_NAME} đang mở. Hãy đóng chương trình rồi bấm OK để tiếp tục." IDOK +2
    Abort
FunctionEnd

Section "Chương trình" SecMain
  SectionIn RO
  SetShellVarContext current
  ; Upgrade in place: the previous version's program files go, the data folder stays.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Gỡ cài đặt ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only the program: %LOCALAPPDATA%\CCHC Desktop (databases, evidence, backups) is kept.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Gỡ cài đặt ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd
