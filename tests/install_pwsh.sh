#!/usr/bin/env bash
# Installs what the Pester suite needs, only when it is missing:
#   - PowerShell 7.6.9 as a dotnet global tool (pwsh);
#   - Pester 5 from NuGet, unpacked into the user's PowerShell module folder.
# Idempotent: a second run only checks. PSGallery is not reachable here, so
# Pester comes from its NuGet package (restored by a throwaway project with a
# PackageDownload item) rather than from Install-Module.
set -euo pipefail

PWSH_VERSION="7.6.9"
PESTER_VERSION="5.7.1"

export PATH="$HOME/.dotnet/tools:$PATH"

if ! command -v pwsh >/dev/null 2>&1; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "install_pwsh: neither pwsh nor dotnet is on PATH; install the .NET SDK first" >&2
    exit 2
  fi
  echo "install_pwsh: installing PowerShell $PWSH_VERSION as a dotnet global tool" >&2
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >&2
fi

# The user's module folder on Linux/macOS, which pwsh always has on PSModulePath.
module_root="${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules"

has_pester5() {
  pwsh -NoProfile -NonInteractive -Command \
    'if (Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -eq 5 }) { exit 0 } else { exit 1 }' \
    >/dev/null 2>&1
}

if ! has_pester5; then
  echo "install_pwsh: installing Pester $PESTER_VERSION from NuGet into $module_root" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat >"$work/download.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PESTER_VERSION]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$work/download.csproj" --packages "$work/packages" >&2
  tools="$work/packages/pester/$PESTER_VERSION/tools"
  if [[ ! -f "$tools/Pester.psd1" ]]; then
    echo "install_pwsh: the Pester package has no tools/Pester.psd1" >&2
    exit 2
  fi
  mkdir -p "$module_root/Pester"
  rm -rf "$module_root/Pester/$PESTER_VERSION"
  cp -R "$tools" "$module_root/Pester/$PESTER_VERSION"
  has_pester5 || { echo "install_pwsh: Pester $PESTER_VERSION is still not found" >&2; exit 2; }
fi

echo "install_pwsh: $(pwsh -NoProfile -NonInteractive -Command '"pwsh $($PSVersionTable.PSVersion), Pester $((Get-Module -ListAvailable Pester | Sort-Object Version -Descending | Select-Object -First 1).Version)"')" >&2
