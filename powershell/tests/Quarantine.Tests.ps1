# End-to-end: Invoke-IocScan -Action Quarantine, Get-IocQuarantine, Restore-IocQuarantine and
# Remove-IocQuarantine drive the real engine (bundled with `deno bundle`) on a planted tree, on
# Linux. Skipped, with the reason printed, when deno is missing, the engine does not bundle, or
# this is not Linux (the quarantine platform of the engine's tests).
BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:SkipReason = $null
    $script:Bundle = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-pester-q-{0}/iocscan.js" -f [guid]::NewGuid().ToString('N'))
    $deno = Get-Command deno -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $IsLinux) {
        $SkipReason = 'the quarantine tests run on Linux'
    } elseif (-not $deno) {
        $SkipReason = 'deno is not on PATH'
    } else {
        $output = & $deno.Source bundle --quiet --platform deno --config (Join-Path $RepoRoot 'deno.json') -o $Bundle (Join-Path $RepoRoot 'cli/main.ts') 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Bundle)) { $SkipReason = "the engine does not bundle: $(($output | Out-String).Trim())" }
    }
    if ($SkipReason) { Write-Warning "Quarantine.Tests.ps1: skipped: $SkipReason" }
}

Describe 'Quarantine with the real engine' -Skip:($null -ne $SkipReason) -ForEach @(@{ Bundle = $Bundle }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle

        $script:Tree = Join-Path $TestDrive 'tree'
        New-Item -ItemType Directory -Path (Join-Path $Tree 'sub') -Force | Out-Null
        $script:Planted = @((Join-Path $Tree 'evil-one.bin'), (Join-Path $Tree 'sub/evil-two.bin'))
        $script:Innocent = Join-Path $Tree 'sub/readme.txt'
        function Set-TestTree {
            foreach ($path in $Planted) { [System.IO.File]::WriteAllText($path, "planted $path") }
            [System.IO.File]::WriteAllText($Innocent, 'nothing to see')
        }
        Set-TestTree
        $script:Hashes = @{}
        foreach ($path in $Planted) { $Hashes[$path] = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() }

        $script:Iocs = Join-Path $TestDrive 'evil.ioc'
        [System.IO.File]::WriteAllText($Iocs, @"
<?xml version="1.0" encoding="utf-8"?>
<ioc id="44444444-4444-4444-8444-444444444444" last-modified="2026-12-07T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>Planted evil</short_description>
  <definition>
    <Indicator operator="OR" id="q-root">
      <IndicatorItem id="q-item" condition="contains">
        <Context document="FileItem" search="FileItem/FileName" type="mir" />
        <Content type="string">evil-</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@)
        $script:Database = Join-Path $TestDrive 'results.db'
        $script:Store = Join-Path $TestDrive 'quarantine'
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
        Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Invoke-IocScan -Action Quarantine -WhatIf scans and changes nothing: files in place, no store' {
        $detections = @(Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -Action Quarantine -QuarantinePath $Store `
                -WhatIf -WarningAction SilentlyContinue -ErrorAction Stop)
        $detections.Count | Should -Be 1
        @($detections[0].Actions.Outcome | Select-Object -Unique) | Should -Be @('what-if')
        @($detections[0].Actions.Object | Sort-Object) | Should -Be @($Planted | Sort-Object)
        foreach ($path in $Planted) { Test-Path -LiteralPath $path | Should -BeTrue }
        Test-Path -LiteralPath $Store | Should -BeFalse
    }

    It 'Invoke-IocScan -Action Quarantine quarantines exactly the detected files, with the results on each detection' {
        $detections = @(Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -Action Quarantine -QuarantinePath $Store `
                -InformationVariable told -WarningAction SilentlyContinue -ErrorAction Stop -Confirm:$false)
        $detections.Count | Should -Be 1
        $actions = @($detections[0].Actions)
        $actions | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'IocScan.ActionResult' }
        @($actions.Outcome | Select-Object -Unique) | Should -Be @('quarantined')
        @($actions.Object | Sort-Object) | Should -Be @($Planted | Sort-Object)
        foreach ($path in $Planted) { Test-Path -LiteralPath $path | Should -BeFalse }
        Test-Path -LiteralPath $Innocent | Should -BeTrue
        ($told.MessageData -join ' ') | Should -Match 'quarantined 2'
    }

    It 'Get-IocQuarantine lists the entries as IocScan.QuarantineEntry objects' {
        $script:Entries = @(Get-IocQuarantine -QuarantinePath $Store -ErrorAction Stop)
        $Entries.Count | Should -Be 2
        foreach ($entry in $Entries) {
            $entry.PSObject.TypeNames[0] | Should -Be 'IocScan.QuarantineEntry'
            $entry.State | Should -Be 'quarantined'
            $entry.Sha256 | Should -Be $Hashes[$entry.OriginalPath]
        }
        (Get-IocQuarantine -Id $Entries[0].Id -QuarantinePath $Store).OriginalPath | Should -Be $Entries[0].OriginalPath
        Get-IocQuarantine -Id 'no-such-entry' -QuarantinePath $Store -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'IocScan.QuarantineEntryNotFound*'
    }

    It 'Restore-IocQuarantine takes the entries from the pipeline and brings each file back identical' {
        $restored = @($Entries | Restore-IocQuarantine -Confirm:$false -ErrorAction Stop)
        $restored.Count | Should -Be 2
        @($restored.Outcome | Select-Object -Unique) | Should -Be @('restored')
        foreach ($path in $Planted) {
            (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $Hashes[$path]
        }
        Restore-IocQuarantine -Id $Entries[0].Id -QuarantinePath $Store -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'IocScan.QuarantineRestoreRefused*'
    }

    It 'Restore-IocQuarantine -WhatIf and Remove-IocQuarantine -WhatIf change nothing' {
        Remove-Item -LiteralPath $Planted[0]
        Restore-IocQuarantine -Id $Entries[0].Id -QuarantinePath $Store -WhatIf
        Test-Path -LiteralPath $Planted[0] | Should -BeFalse
        Remove-IocQuarantine -Id $Entries[0].Id -QuarantinePath $Store -WhatIf
        (Get-IocQuarantine -Id $Entries[0].Id -QuarantinePath $Store).State | Should -Not -Be 'purged'
    }

    It 'Remove-IocQuarantine -Confirm:$false removes the copies; the records stay' {
        $removed = @($Entries | Remove-IocQuarantine -Confirm:$false -ErrorAction Stop)
        $removed.Count | Should -Be 2
        @($removed.Outcome | Select-Object -Unique) | Should -Be @('purged')
        @(Get-IocQuarantine -QuarantinePath $Store | Select-Object -ExpandProperty State -Unique) | Should -Be @('purged')
    }
}
