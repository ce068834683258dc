@echo off
rem Sovereign Workstation launcher for Windows.
rem   sovereign            opens the desktop workstation
rem   sovereign ARGS...    runs the command line (try: sovereign --help)
setlocal
set "ROOT=%~dp0"
set "APP=%ROOT%app\target"
set "FLAGS_FILE=%APP%\launcher\jvm.flags"

if not exist "%FLAGS_FILE%" goto build
if not exist "%APP%\sovereign-app.jar" goto build
goto run

:build
echo Building the Sovereign Workstation (first run; this takes a minute)... 1>&2
if not exist "%ROOT%target" mkdir "%ROOT%target"
call "%ROOT%mvnw.cmd" -B -q -DskipTests package -pl app -am > "%ROOT%target\launcher-build.log" 2>&1
if errorlevel 1 (
  echo The build failed; see %ROOT%target\launcher-build.log 1>&2
  exit /b 2
)

:run
rem ONNX Runtime's telemetry stays off (the program also switches it off itself, see OrtTelemetry).
set "ORT_DISABLE_TELEMETRY=1"
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java"
set /p FLAGS=<"%FLAGS_FILE%"
call set "FLAGS=%%FLAGS:@JAVAFX_DIR@=%APP%\javafx%%"
"%JAVA_EXE%" %FLAGS% -cp "%APP%\sovereign-app.jar;%APP%\lib\*" org.sovereign.app.SovereignMain %*
exit /b %ERRORLEVEL%
