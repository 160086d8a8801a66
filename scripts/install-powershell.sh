#!/usr/bin/env bash
# Installs the PowerShell test peer for the IIS step's tests: PowerShell 7.6.9 (a .NET global tool) and Pester 6.2.0
# (from NuGet, with dotnet's own client and configured sources). Idempotent, non-interactive, meant for root on CI
# (bash .ci/run) and on a developer machine. Needs the .NET SDK (`dotnet`) already on the machine.
set -euo pipefail

# dotnet keeps global tools under $HOME: make sure there is one (a bare CI environment may not set it).
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
PWSH_VERSION=7.6.9
PESTER_VERSION=6.2.0
TOOLS_DIR="${HOME}/.dotnet/tools"
# On every PowerShell's default PSModulePath (all users), so the tests need no PSModulePath of their own.
MODULES_DIR=/usr/local/share/powershell/Modules
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null || {
  echo 'install-powershell: dotnet (the .NET SDK) is not installed; install it first' >&2
  exit 1
}

# PowerShell: only this version is served; reinstall when another one is there.
installed=$(dotnet tool list --global | awk 'tolower($1) == "powershell" { print $2 }')
if [ "$installed" != "$PWSH_VERSION" ]; then
  [ -z "$installed" ] || dotnet tool uninstall --global PowerShell >/dev/null
  dotnet tool install --global PowerShell --version "$PWSH_VERSION"
fi
# A small launcher on the default PATH, so tests and people find pwsh without editing PATH.
if [ ! -x /usr/local/bin/pwsh ] || ! grep -qF "$TOOLS_DIR/pwsh" /usr/local/bin/pwsh; then
  printf '#!/bin/sh\nexec "%s/pwsh" "$@"\n' "$TOOLS_DIR" >/usr/local/bin/pwsh
  chmod 0755 /usr/local/bin/pwsh
fi

# Pester: the NuGet package holds the module under tools/. A throw-away project downloads it with dotnet restore
# (signature-checked by NuGet), then the module is copied where PowerShell looks for modules.
target="$MODULES_DIR/Pester/$PESTER_VERSION"
if [ ! -f "$target/Pester.psd1" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cat >"$work/download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PESTER_VERSION]" /></ItemGroup>
</Project>
EOF
  dotnet restore "$work/download.csproj" --packages "$work/packages" >/dev/null
  mkdir -p "$target.partial"
  cp -R "$work/packages/pester/$PESTER_VERSION/tools/." "$target.partial/"
  rm -rf "$target"
  mv "$target.partial" "$target"
fi

# Proof that both work together, as the tests will use them.
/usr/local/bin/pwsh -NoProfile -NonInteractive -Command \
  "\$ErrorActionPreference = 'Stop'; Import-Module Pester -RequiredVersion $PESTER_VERSION; " \
  "'PowerShell ' + \$PSVersionTable.PSVersion + ', Pester ' + (Get-Module Pester).Version"
