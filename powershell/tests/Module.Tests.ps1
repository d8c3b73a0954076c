BeforeAll {
    $script:ModuleFolder = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan'
    $script:ManifestPath = Join-Path $ModuleFolder 'IocScan.psd1'
    Import-Module $ManifestPath -Force
}

Describe 'IocScan module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares PowerShell 5.1, both editions and the format file' {
        $manifest = Import-PowerShellDataFile -Path $ManifestPath
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.FormatsToProcess | Should -Contain 'Formats/IocScan.Format.ps1xml'
        Join-Path $ModuleFolder $manifest.FormatsToProcess[0] | Should -Exist
    }

    It 'exports exactly the functions of Public/, listed explicitly' {
        $manifest = Import-PowerShellDataFile -Path $ManifestPath
        $manifest.FunctionsToExport | Should -Not -Contain '*'
        $public = @(Get-ChildItem (Join-Path $ModuleFolder 'Public') -Filter *.ps1 | ForEach-Object BaseName | Sort-Object)
        @($manifest.FunctionsToExport | Sort-Object) | Should -Be $public
        @((Get-Module IocScan).ExportedFunctions.Keys | Sort-Object) | Should -Be $public
        $public | Should -Be @('Export-IocScanReport', 'Get-IocIndicator', 'Get-IocIsolation', 'Get-IocQuarantine', 'Get-IocScanResult', 'Get-IocScanTask', 'Invoke-IocScan',
            'Register-IocScanTask', 'Remove-IocQuarantine', 'Restore-IocQuarantine', 'Start-IocCriticalScan', 'Start-IocIsolation', 'Start-IocScanTask', 'Stop-IocIsolation', 'Unregister-IocScanTask')
    }

    It 'is ready for a PowerShell repository: licence, tags, release notes, and the version deno.json builds' {
        $manifest = Import-PowerShellDataFile -Path $ManifestPath
        $manifest.PrivateData.PSData.LicenseUri | Should -Be 'https://spdx.org/licenses/MIT.html'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'OpenIOC'
        $manifest.PrivateData.PSData.Tags | ForEach-Object { $_ | Should -Not -Match '\s' }
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Match 'deno task package'
        $manifest.Copyright | Should -Match 'MIT'
        $denoJson = Get-Content -Raw (Join-Path (Split-Path -Parent (Split-Path -Parent $ModuleFolder)) 'deno.json') | ConvertFrom-Json
        $manifest.ModuleVersion | Should -Be $denoJson.version
    }

    It 'has table views for the objects it writes' {
        [xml]$formats = Get-Content -Raw (Join-Path $ModuleFolder 'Formats/IocScan.Format.ps1xml')
        $types = @($formats.Configuration.ViewDefinitions.View | ForEach-Object { $_.ViewSelectedBy.TypeName })
        foreach ($type in 'IocScan.Detection', 'IocScan.Finding', 'IocScan.Run', 'IocScan.Indicator', 'IocScan.ScanTask', 'IocScan.Isolation', 'IocScan.QuarantineEntry', 'IocScan.ActionResult') {
            $types | Should -Contain $type
        }
    }
}

Describe 'IocScan exported command <_>' -ForEach @(
    'Invoke-IocScan', 'Get-IocIndicator', 'Get-IocScanResult', 'Register-IocScanTask', 'Get-IocScanTask',
    'Start-IocScanTask', 'Unregister-IocScanTask', 'Start-IocIsolation', 'Get-IocIsolation', 'Stop-IocIsolation',
    'Get-IocQuarantine', 'Restore-IocQuarantine', 'Remove-IocQuarantine', 'Start-IocCriticalScan', 'Export-IocScanReport'
) {
    BeforeAll {
        $script:Command = Get-Command -Name $_ -Module IocScan
        $script:Help = Get-Help -Name $_ -Full
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
    }

    It 'has a synopsis, a description and at least one example with code' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match '^\s*Invoke-|^\s*Get-|^\s*Register-'
        ($Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($Help.Examples.Example).Count | Should -BeGreaterThan 0
        @($Help.Examples.Example)[0].Code | Should -Match $_
    }

    It 'documents every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $documented = @($Help.Parameters.Parameter | Where-Object { ($_.Description | Out-String).Trim() } | ForEach-Object Name)
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $parameter -Because "-$parameter of $_ needs a .PARAMETER entry"
        }
    }
}

Describe 'IocScan command parameters' {
    It '<Command> has the parameters the issue names' -ForEach @(
        @{ Command = 'Invoke-IocScan'; Expected = 'IocPath', 'Path', 'Preset', 'Exclude', 'DataType', 'EventLog', 'Since', 'Until', 'RegistryKey', 'Evidence', 'DatabasePath', 'TaskName' }
        @{ Command = 'Get-IocIndicator'; Expected = @('Path') }
        @{ Command = 'Get-IocScanResult'; Expected = 'DatabasePath', 'RunId', 'Since', 'TaskName' }
        @{ Command = 'Register-IocScanTask'; Expected = 'Name', 'IocPath', 'Once', 'Daily', 'Weekly', 'AtStartup', 'At', 'DaysOfWeek', 'Credential', 'ExecutionTimeLimit', 'Force' }
        @{ Command = 'Get-IocScanTask'; Expected = @('Name') }
        @{ Command = 'Start-IocScanTask'; Expected = @('Name') }
        @{ Command = 'Unregister-IocScanTask'; Expected = @('Name') }
        @{ Command = 'Start-IocIsolation'; Expected = 'Duration', 'Allow', 'Reason', 'Probe', 'DatabasePath' }
        @{ Command = 'Get-IocIsolation'; Expected = @('DatabasePath') }
        @{ Command = 'Stop-IocIsolation'; Expected = @('DatabasePath') }
        @{ Command = 'Export-IocScanReport'; Expected = 'RunId', 'Format', 'Path', 'DatabasePath' }
    ) {
        $parameters = (Get-Command -Name $Command -Module IocScan).Parameters.Keys
        foreach ($name in $Expected) { $parameters | Should -Contain $name }
    }

    It 'Register-IocScanTask has one parameter set per trigger, each requiring its own values' {
        $sets = (Get-Command Register-IocScanTask).ParameterSets
        @($sets.Name | Sort-Object) | Should -Be @('AtStartup', 'Daily', 'Once', 'Weekly')
        $weekly = $sets | Where-Object Name -eq 'Weekly'
        @($weekly.Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object) | Should -Be @('At', 'DaysOfWeek', 'IocPath', 'Name', 'Weekly')
    }

    It 'Register-IocScanTask help explains network drives under SYSTEM and the lack of Wake-on-LAN' {
        $description = (Get-Help Register-IocScanTask -Full).Description | Out-String
        $description | Should -Match 'computer account'
        $description | Should -Match 'Wake-on-LAN'
    }
}

Describe 'IocScan commands that change the host' {
    It '<_> supports -WhatIf and -Confirm' -ForEach @('Invoke-IocScan', 'Register-IocScanTask', 'Start-IocScanTask', 'Unregister-IocScanTask', 'Start-IocIsolation', 'Stop-IocIsolation', 'Restore-IocQuarantine', 'Remove-IocQuarantine', 'Start-IocCriticalScan', 'Export-IocScanReport') {
        $parameters = (Get-Command -Name $_ -Module IocScan).Parameters
        $parameters.Keys | Should -Contain 'WhatIf'
        $parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe 'IocScan sources' {
    It 'use no syntax that Windows PowerShell 5.1 cannot parse or run' {
        $files = Get-ChildItem -Path $ModuleFolder -Filter *.ps*1 -Recurse | Where-Object Extension -in '.ps1', '.psm1'
        $files.Count | Should -BeGreaterThan 10
        $problems = foreach ($file in $files) {
            $tokens = $null
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
            if ($errors) { "$($file.Name): parse error $($errors[0].Message)" }
            foreach ($token in $tokens) {
                if ($token.Kind -in 'QuestionQuestion', 'QuestionQuestionEquals', 'AndAnd', 'OrOr', 'QuestionMark', 'QuestionDot', 'QuestionLBracket') {
                    "$($file.Name):$($token.Extent.StartLineNumber): '$($token.Text)' needs PowerShell 7"
                }
            }
            $calls = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
            foreach ($call in $calls) {
                if ($call.GetCommandName() -eq 'ConvertFrom-Json' -and $call.Extent.Text -match '-AsHashtable|-Depth|-DateKind') {
                    "$($file.Name):$($call.Extent.StartLineNumber): ConvertFrom-Json parameters that 5.1 lacks"
                }
            }
        }
        $problems | Should -BeNullOrEmpty
    }
}
