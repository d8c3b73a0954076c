#!/bin/sh
# Installs, upgrades or removes iocscan from an extracted iocscan-<version>-linux-x64.tar.gz.
#
#   sudo ./install.sh [--prefix DIR] [--data-dir DIR]     install or upgrade in place
#   sudo ./install.sh --uninstall [--remove-results]      remove (results kept unless asked)
#
# Install: checks the package against SHA256SUMS, copies the PowerShell module (with its Deno and
# engine bundle) to PREFIX/share/powershell/Modules/IocScan (pwsh's all-users module path for
# PREFIX=/usr/local, the default), links PREFIX/bin/iocscan to its launcher, and creates the data
# folder (default /var/lib/iocscan, and its tasks/ folder) owned by root, mode 0700. Running it
# again changes nothing; a newer package replaces the module in one rename and keeps the data
# folder (results database, quarantine, task definitions) and the registered timers.
# Uninstall: unregisters the scan timers (through the module, when pwsh is there), removes the
# module, the link and the task definitions, and keeps the results unless --remove-results.
# Exit codes: 0 done, 1 failed, 2 bad arguments.
set -eu

prefix=/usr/local
data_dir=/var/lib/iocscan
uninstall=0
remove_results=0
usage() { sed -n '3,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --data-dir) [ $# -ge 2 ] || usage; data_dir=$2; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --remove-results) remove_results=1; shift ;;
    -h | --help) usage ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }
package=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
modules="$prefix/share/powershell/Modules"
module="$modules/IocScan"
link="$prefix/bin/iocscan"

if [ "$uninstall" = 1 ]; then
  if [ -f "$module/IocScan.psd1" ] && command -v pwsh >/dev/null 2>&1; then
    IOCSCAN_UNINSTALL_MODULE="$module/IocScan.psd1" pwsh -NoProfile -NonInteractive -Command \
      'Import-Module $env:IOCSCAN_UNINSTALL_MODULE; Get-IocScanTask | Unregister-IocScanTask -Confirm:$false' ||
      echo "install.sh: warning: the scan timers could not be unregistered (Unregister-IocScanTask)" >&2
  fi
  if [ -L "$link" ] && [ "$(readlink -- "$link")" = "$module/iocscan" ]; then rm -f -- "$link"; fi
  rm -rf -- "$module" "$module.new" "$module.old"
  if [ "$remove_results" = 1 ]; then
    rm -rf -- "$data_dir"
  else
    rm -rf -- "$data_dir/tasks"
  fi
  echo "iocscan uninstalled from $prefix"
  exit 0
fi

[ -f "$package/SHA256SUMS" ] || fail "no SHA256SUMS beside install.sh: run it from the extracted package"
(cd "$package" && sha256sum --check --strict --quiet SHA256SUMS) >&2 ||
  fail "the package in $package is damaged (SHA256SUMS does not match): nothing was installed"
version=$(sed -n "s/^[[:space:]]*ModuleVersion[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$package/IocScan/IocScan.psd1")
[ -n "$version" ] || fail "no ModuleVersion in $package/IocScan/IocScan.psd1"

umask 022
mkdir -p -- "$modules" "$prefix/bin"
rm -rf -- "$module.new" "$module.old"
cp -R -- "$package/IocScan" "$module.new"
if [ -e "$module" ]; then mv -- "$module" "$module.old"; fi
mv -- "$module.new" "$module"
rm -rf -- "$module.old"
ln -sfn -- "$module/iocscan" "$link"

umask 077
mkdir -p -- "$data_dir/tasks"
chmod 0700 -- "$data_dir" "$data_dir/tasks"
if [ "$(id -u)" = 0 ]; then chown root:root -- "$data_dir" "$data_dir/tasks"; fi
echo "iocscan $version installed: module $module, command $link, data $data_dir"
