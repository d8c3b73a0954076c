# End-to-end: Start-IocCriticalScan drives the real engine (bundled with `deno bundle`, run with
# every permission) on Linux: a process started from a planted copy of sleep is found through
# /proc, hashed and matched by a FileItem Md5sum IOC, and ClamAV (with a signature database the
# test writes) flags the same image; both come out as objects, the finding as IocScan.Finding.
# Skipped, with the reason printed, off Linux, or without deno or clamscan.
BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:SkipReason = $null
    $script:Bundle = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-pester-critical-{0}/iocscan.js" -f [guid]::NewGuid().ToString('N'))
    $deno = Get-Command deno -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $IsLinux) {
        $SkipReason = 'the critical-areas scan is run for real on Linux only'
    } elseif (-not $deno) {
        $SkipReason = 'deno is not on PATH'
    } elseif (-not (Get-Command clamscan -CommandType Application -ErrorAction Ignore)) {
        $SkipReason = 'clamscan is not installed (apt-get install -y clamav)'
    } else {
        $output = & $deno.Source bundle --quiet --platform deno --config (Join-Path $RepoRoot 'deno.json') -o $Bundle (Join-Path $RepoRoot 'cli/main.ts') 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Bundle)) { $SkipReason = "the engine does not bundle: $(($output | Out-String).Trim())" }
    }
    if ($SkipReason) { Write-Warning "CriticalScan.Tests.ps1: skipped: $SkipReason" }
}

Describe 'Start-IocCriticalScan with the real engine' -Skip:($null -ne $SkipReason) -ForEach @(@{ Bundle = $Bundle }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle
        $script:Folder = Join-Path ([System.IO.Path]::GetTempPath()) ('iocscan-pester-critical-{0}' -f [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Folder, (Join-Path $Folder 'iocs') -Force | Out-Null
        $script:Image = Join-Path $Folder 'pester-sleep'
        $bytes = [System.IO.File]::ReadAllBytes('/usr/bin/sleep') + [System.Text.Encoding]::ASCII.GetBytes("pester-planted-$([guid]::NewGuid())")
        [System.IO.File]::WriteAllBytes($Image, $bytes)
        & chmod 755 $Image
        $md5 = [System.Security.Cryptography.MD5]::Create()
        $script:Hash = (($md5.ComputeHash($bytes) | ForEach-Object { $_.ToString('x2') }) -join '')
        $xml = @"
<?xml version="1.0" encoding="utf-8"?>
<ioc id="pester-critical" last-modified="2026-12-07T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>Planted sleep</short_description>
  <definition>
    <Indicator operator="OR" id="pester-critical-root">
      <IndicatorItem id="pester-critical-item" condition="is">
        <Context document="FileItem" search="FileItem/Md5sum" type="mir" />
        <Content type="md5">$Hash</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@
        [System.IO.File]::WriteAllText((Join-Path $Folder 'iocs/planted.ioc'), $xml)
        $script:Database = Join-Path $Folder 'planted.hdb'
        [System.IO.File]::WriteAllText($Database, "${Hash}:$($bytes.Length):Pester.Planted`n")
        $script:Process = Start-Process -FilePath $Image -ArgumentList '600' -PassThru
        Start-Sleep -Milliseconds 300
    }
    AfterAll {
        if ($Process) { Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue }
        Restore-IocTestEnvironment $Saved
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'returns the detection of the running planted image and the antivirus finding as typed objects' {
        $results = @(Start-IocCriticalScan -IocPath (Join-Path $Folder 'iocs') -ClamavDatabase $Database `
                -DatabasePath (Join-Path $Folder 'results.db') -WarningAction SilentlyContinue)
        $detection = @($results | Where-Object { $_.PSTypeNames -contains 'IocScan.Detection' })
        $detection.Count | Should -Be 1
        $detection[0].IocId | Should -Be 'pester-critical'
        $detection[0].Objects | Should -Contain $Image
        $finding = @($results | Where-Object { $_.PSTypeNames -contains 'IocScan.Finding' -and $_.Kind -eq 'antivirus' })
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'detection'
        $finding[0].Object | Should -Be $Image
        $finding[0].Data.signature | Should -Be 'Pester.Planted.UNOFFICIAL'
        $finding[0].RunId | Should -BeGreaterThan 0
    }

    It 'says the scan is incomplete when the antivirus has no signature database, never clean' {
        $warnings = @()
        $results = @(Start-IocCriticalScan -ClamavDatabase (Join-Path $Folder 'missing.hdb') `
                -DatabasePath (Join-Path $Folder 'results.db') -WarningVariable warnings -WarningAction SilentlyContinue)
        @($results | Where-Object { $_.Kind -eq 'antivirus-unavailable' }).Count | Should -Be 1
        ($warnings -join "`n") | Should -Match 'INCOMPLETE'
    }
}
