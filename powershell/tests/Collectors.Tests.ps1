BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ModuleFolder = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan'
    Import-Module (Join-Path $ModuleFolder 'IocScan.psd1') -Force
    $script:DataFile = Import-PowerShellDataFile -Path (Join-Path $ModuleFolder 'Data/Collectors.psd1')
}

Describe 'The collectors from Data/Collectors.psd1' {
    It 'Get-IocCollector lists the data file''s collectors, in its order' {
        $names = InModuleScope IocScan { @((Get-IocCollector).Name) }
        $names | Should -Be @($DataFile.Collectors | ForEach-Object { $_.Name })
        $names | Should -Contain 'registry'
    }

    It '-DataType of <Command> takes every collector of the data file and refuses others, naming them' -ForEach @(
        @{ Command = 'Invoke-IocScan' }
        @{ Command = 'Register-IocScanTask' }
    ) {
        $parameter = (Get-Command $Command).Parameters['DataType']
        $validate = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateScriptAttribute] })
        $validate.Count | Should -Be 1
        @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).Count | Should -Be 0
        foreach ($collector in $DataFile.Collectors) {
            InModuleScope IocScan -Parameters @{ Name = $collector.Name } { param($Name) Assert-IocCollectorName $Name } | Should -BeTrue
        }
        $known = @($DataFile.Collectors | ForEach-Object { $_.Name }) -join ', '
        { InModuleScope IocScan { Assert-IocCollectorName 'nosuch' } } | Should -Throw "*'nosuch' is not a collector of this engine (known: $known)*"
    }

    It 'completes -DataType from the data file' {
        $completions = TabExpansion2 -inputScript 'Invoke-IocScan -DataType reg' -cursorColumn 'Invoke-IocScan -DataType reg'.Length
        @($completions.CompletionMatches.CompletionText) | Should -Be @('registry')
    }

    It 'New-IocTaskDocument writes each collector option under the key the data file names' {
        $document = InModuleScope IocScan {
            New-IocTaskDocument -IocPath /iocs -Preset all-drives -Exclude '*.tmp' -MaxFileSize 5 -EventLog Security `
                -Since ([datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc)) -RegistryKey 'HKLM\X' -RegistryFull -EndpointNetwork -DiskImage disk.img
        }
        $options = @($DataFile.Collectors | ForEach-Object { $_.Options } | Where-Object { $_.Key -ne 'until' })
        foreach ($option in $options) { $document.Contains($option.Key) | Should -BeTrue -Because $option.Key }
        $document.presets | Should -Be @('all-drives')
        $document.maxFileSize | Should -Be 5
        $document.since | Should -Be '2026-01-02T03:04:05.000Z'
        $document.registryFull | Should -BeTrue
        $document.endpointNetwork | Should -BeTrue
        $document.diskImages | Should -Be @((Join-Path (Get-Location).Path 'disk.img'))
        $document.Contains('until') | Should -BeFalse
    }
}
