; Med-DisSeg Studio: Windows installer (NSIS 3, Unicode). Packs the PyInstaller folder built on a
; Windows runner (packaging/windows/README.md) into one setup program.
;
;   makensis /DVERSION=0.1.0 packaging\windows\meddisseg-studio.nsi
;
; Defines (all optional): VERSION (x.y.z), BUNDLE (the dist\meddisseg-studio folder), ICON (.ico
; drawn by packaging/make_icon.py), OUTFILE. Paths are relative to this script's folder.
; Silent install for IT: setup.exe /S [/D=C:\Program Files\Med-DisSeg Studio]   (/D last, unquoted)
; Silent removal: "C:\Program Files\Med-DisSeg Studio\Uninstall.exe" /S

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\..\dist\meddisseg-studio"
!endif
!ifndef ICON
  !define ICON "..\..\build\icons\meddisseg-studio.ico"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\meddisseg-studio-${VERSION}-windows-x64-setup.exe"
!endif
!define APPNAME "Med-DisSeg Studio"
!define PUBLISHER "Med-DisSeg Studio maintainers"
!define REGKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MedDisSegStudio"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "Software\${APPNAME}" "InstallDir"
RequestExecutionLevel admin
ManifestDPIAware true
; One solid LZMA stream: torch's DLLs compress far better together.
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ShowInstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\meddisseg-studio.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APPNAME}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "Install"
  SetShellVarContext all
  ; An older version's files go first, so no stale library outlives an update.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\meddisseg-studio.exe" "" "$INSTDIR\meddisseg-studio.exe" 0

  WriteRegStr HKLM "Software\${APPNAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${REGKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${REGKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${REGKEY}" "DisplayIcon" "$INSTDIR\meddisseg-studio.exe"
  WriteRegStr HKLM "${REGKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${REGKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${REGKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${REGKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${REGKEY}" "EstimatedSize" $0

  ; The installation check (offline): its report is kept beside the programs for IT.
  DetailPrint "Running the self-test..."
  ; cmd redirects the whole report to a file (the plug-in's stack would cut it at 1 KB); no window.
  nsExec::Exec '"$SYSDIR\cmd.exe" /C ""$INSTDIR\meddisseg.exe" selftest > "$INSTDIR\selftest.txt" 2>&1"'
  Pop $0
  DetailPrint "Self-test exit status: $0 (report: $INSTDIR\selftest.txt)"
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "The self-test reported a problem (exit status $0).$\r$\nDetails: $INSTDIR\selftest.txt" /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  SetRegView 64
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  ; Only what the installer put there: never a recursive delete of a folder the user chose.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\meddisseg-studio.exe"
  Delete "$INSTDIR\meddisseg.exe"
  Delete "$INSTDIR\README-INSTALL.txt"
  Delete "$INSTDIR\BUILD-INFO.txt"
  Delete "$INSTDIR\selftest.txt"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${REGKEY}"
  DeleteRegKey HKLM "Software\${APPNAME}"
SectionEnd
