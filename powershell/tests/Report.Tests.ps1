# Reports from PowerShell with the real engine (bundled with `deno bundle`, as RealEngine.Tests.ps1
# does): Export-IocScanReport in every way it is called, and Invoke-IocScan | Export-Csv giving
# readable columns. Skipped, with the reason printed, when deno is missing or the engine does not
# bundle.
BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:SkipReason = $null
    $script:Bundle = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-pester-report-{0}/iocscan.js" -f [guid]::NewGuid().ToString('N'))
    $deno = Get-Command deno -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $deno) {
        $SkipReason = 'deno is not on PATH'
    } else {
        $output = & $deno.Source bundle --quiet --platform deno --config (Join-Path $RepoRoot 'deno.json') -o $Bundle (Join-Path $RepoRoot 'cli/main.ts') 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Bundle)) { $SkipReason = "the engine does not bundle: $(($output | Out-String).Trim())" }
    }
    if ($SkipReason) { Write-Warning "Report.Tests.ps1: real-engine report tests are skipped: $SkipReason" }
}

Describe 'Reports with the real engine' -Skip:($null -ne $SkipReason) -ForEach @(@{ Bundle = $Bundle }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle

        $script:Tree = Join-Path $TestDrive 'tree'
        New-Item -ItemType Directory -Path $Tree -Force | Out-Null
        $script:Planted = Join-Path $Tree '=evil.exe'
        [System.IO.File]::WriteAllText($Planted, 'planted')
        $script:Iocs = Join-Path $TestDrive 'iocs'
        New-Item -ItemType Directory -Path $Iocs -Force | Out-Null
        [System.IO.File]::WriteAllText((Join-Path $Iocs 'evil.ioc'), @"
<?xml version="1.0" encoding="utf-8"?>
<ioc id="66666666-6666-4666-8666-666666666666" last-modified="2026-12-07T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>Planted &lt;script&gt;</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <links><link rel="grade">high</link></links>
  <definition>
    <Indicator operator="OR" id="evil-root">
      <IndicatorItem id="evil-name" condition="is"><Context document="FileItem" search="FileItem/FileName" type="mir" /><Content type="string">=evil.exe</Content></IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@)
        $script:Database = Join-Path $TestDrive 'results.db'
        $script:Detections = @(Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -WarningAction SilentlyContinue)
        $script:RunId = $Detections[0].RunId
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
        Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Invoke-IocScan detections carry host, severity and time, and Export-Csv writes readable columns' {
        $Detections.Count | Should -Be 1
        $Detections[0].Severity | Should -Be 'high'
        $Detections[0].Host | Should -Not -BeNullOrEmpty
        $Detections[0].Timestamp | Should -BeOfType [datetime]
        $csv = Join-Path $TestDrive 'detections.csv'
        $Detections | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = @(Import-Csv -LiteralPath $csv)[0]
        $row.Evidence | Should -Not -Match 'System\.Object\[\]'
        $row.Evidence | Should -BeLike "FileItem $Planted*FileItem/FileName is '=evil.exe' observed '=evil.exe'*"
        $row.Objects | Should -Be $Planted
        $row.Severity | Should -Be 'high'
    }

    It 'Export-IocScanReport -Path writes the HTML page and returns the file' {
        $page = Join-Path $TestDrive 'run.html'
        $file = Export-IocScanReport -RunId $RunId -DatabasePath $Database -Path $page
        $file | Should -BeOfType [System.IO.FileInfo]
        $file.FullName | Should -Be $page
        $html = Get-Content -LiteralPath $page -Raw
        $html | Should -Match '<span class="count" id="detection-count">1</span>'
        $html | Should -Match "Content-Security-Policy"
        $html | Should -Match 'Planted &lt;script&gt;'
        $html | Should -Not -Match '<script'
    }

    It 'Export-IocScanReport takes the format from the extension, or -Format, and returns text without -Path' {
        $ecs = Join-Path $TestDrive 'run.ndjson'
        $Detections | Export-IocScanReport -DatabasePath $Database -Path $ecs | Out-Null
        $documents = @(Get-Content -LiteralPath $ecs | ForEach-Object { $_ | ConvertFrom-Json })
        @($documents | ForEach-Object { $_.event.kind }) | Should -Be @('alert', 'event')
        $text = Export-IocScanReport -RunId $RunId -DatabasePath $Database -Format csv
        $text | Should -BeOfType [string]
        $text | Should -Match ([regex]::Escape("""'=evil.exe"""))
    }

    It 'Export-IocScanReport -WhatIf writes nothing' {
        $page = Join-Path $TestDrive 'whatif.html'
        Export-IocScanReport -RunId $RunId -DatabasePath $Database -Path $page -WhatIf
        Test-Path -LiteralPath $page | Should -BeFalse
    }

    It 'Export-IocScanReport of an unknown run is a non-terminating IocScan.RunNotFound' {
        Export-IocScanReport -RunId 999 -DatabasePath $Database -Path (Join-Path $TestDrive 'none.html') -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems | Where-Object FullyQualifiedErrorId -like 'IocScan.RunNotFound*').Count | Should -Be 1
    }
}
