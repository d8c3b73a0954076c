# The GPO startup script and the Intune detection and remediation scripts, dot-sourced (their main
# part does not run) with the module's commands and the installer mocked.
BeforeAll {
    $script:Deploy = Split-Path -Parent $PSScriptRoot
    $script:RepoRoot = Split-Path -Parent $Deploy
    # The real module, so that its commands exist to be mocked.
    Import-Module (Join-Path $RepoRoot 'powershell/IocScan/IocScan.psd1') -Force
}

Describe 'deploy/gpo/Install-IocScanFromShare.ps1' {
    BeforeAll { . (Join-Path $Deploy 'gpo/Install-IocScanFromShare.ps1') }
    BeforeEach {
        $script:Case = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:Share = Join-Path $Case 'share/IocScan-1.2.3-win-x64'
        New-Item -ItemType Directory -Path (Join-Path $Share 'IocScan') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Share 'IocScan/IocScan.psd1') -Value "@{ ModuleVersion = '1.2.3' }"
        Set-Content -LiteralPath (Join-Path $Share 'Install-IocScan.ps1') -Value '# installer'
        $script:Iocs = Join-Path $Case 'share/iocs'
        New-Item -ItemType Directory -Path $Iocs -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Iocs 'a.ioc') -Value '<ioc/>'
        $script:Staging = Join-Path $Case 'Windows/Temp/IocScan-package'
        Mock Import-Module { } -ParameterFilter { $Name -eq 'IocScan' }
        Mock Register-IocScanTask { }
        Mock Invoke-IocPackageInstaller { 0 }
    }

    It 'installs from a local copy of the package when the installed version differs, then registers the task with the fleet defaults' {
        Mock Get-IocInstalledVersion { '1.0.0' }
        $deployment = @{ PackagePath = $Share; IocPath = $Iocs; TaskName = 'FleetScan'; At = '02:00'; Preset = 'important-areas'; StagingPath = $Staging }
        Invoke-IocGpoDeployment @deployment | Should -Be 0
        Should -Invoke Invoke-IocPackageInstaller -Times 1 -Exactly -ParameterFilter { $Installer -eq (Join-Path $Staging 'Install-IocScan.ps1') }
        Should -Invoke Register-IocScanTask -Times 1 -Exactly -ParameterFilter {
            $Name -eq 'FleetScan' -and $IocPath -eq $Iocs -and $Preset -eq 'important-areas' -and $Daily -and $At.Hour -eq 2 -and $Force -and
            -not $PSBoundParameters.ContainsKey('RandomDelay') -and -not $PSBoundParameters.ContainsKey('Priority')
        }
        $Staging | Should -Not -Exist
    }

    It 'does not reinstall an up-to-date computer, and still registers the task (idempotent)' {
        Mock Get-IocInstalledVersion { '1.2.3' }
        Invoke-IocGpoDeployment -PackagePath $Share -IocPath $Iocs -TaskName FleetScan -At '02:00' -Preset important-areas -StagingPath $Staging | Should -Be 0
        Should -Invoke Invoke-IocPackageInstaller -Times 0
        Should -Invoke Register-IocScanTask -Times 1 -Exactly
    }

    It 'passes on 3010 from the installer and registers the task' {
        Mock Get-IocInstalledVersion { $null }
        Mock Invoke-IocPackageInstaller { 3010 }
        Invoke-IocGpoDeployment -PackagePath $Share -IocPath $Iocs -TaskName FleetScan -At '02:00' -Preset important-areas -StagingPath $Staging | Should -Be 3010
        Should -Invoke Register-IocScanTask -Times 1 -Exactly
    }

    It 'exits 1603 without registering when the installer fails' {
        Mock Get-IocInstalledVersion { $null }
        Mock Invoke-IocPackageInstaller { 1603 }
        Invoke-IocGpoDeployment -PackagePath $Share -IocPath $Iocs -TaskName FleetScan -At '02:00' -Preset important-areas -StagingPath $Staging -ErrorAction SilentlyContinue |
            Should -Be 1603
        Should -Invoke Register-IocScanTask -Times 0
    }

    It 'exits 1603 when the share cannot be read' {
        Invoke-IocGpoDeployment -PackagePath (Join-Path $Case 'missing') -IocPath $Iocs -TaskName FleetScan -At '02:00' -Preset important-areas -StagingPath $Staging -ErrorAction SilentlyContinue |
            Should -Be 1603
    }

    It '-CopyIocTo copies the IOC files to a local folder and registers the task with it' {
        Mock Get-IocInstalledVersion { '1.2.3' }
        $local = Join-Path $Case 'ProgramData/IocScan/iocs'
        Invoke-IocGpoDeployment -PackagePath $Share -IocPath $Iocs -TaskName FleetScan -At '02:00' -Preset important-areas -StagingPath $Staging -CopyIocTo $local | Should -Be 0
        Join-Path $local 'a.ioc' | Should -Exist
        Should -Invoke Register-IocScanTask -Times 1 -Exactly -ParameterFilter { $IocPath -eq $local }
    }
}

Describe 'deploy/intune/Detect-IocScanModule.ps1' {
    BeforeAll { . (Join-Path $Deploy 'intune/Detect-IocScanModule.ps1') }

    It 'pins the version deno.json builds' {
        $denoJson = Get-Content -Raw (Join-Path $RepoRoot 'deno.json') | ConvertFrom-Json
        $RequiredVersion | Should -Be $denoJson.version
    }

    It 'detects the required version or newer, and nothing else' {
        $base = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        Test-IocModuleInstalled -ModuleBase $base -RequiredVersion '1.2.3' | Should -BeNullOrEmpty
        New-Item -ItemType Directory -Path (Join-Path $base 'IocScan/1.2.0') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $base 'IocScan/1.2.0/IocScan.psd1') -Value '@{}'
        Test-IocModuleInstalled -ModuleBase $base -RequiredVersion '1.2.3' | Should -BeNullOrEmpty
        New-Item -ItemType Directory -Path (Join-Path $base 'IocScan/1.10.0') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $base 'IocScan/1.10.0/IocScan.psd1') -Value '@{}'
        New-Item -ItemType Directory -Path (Join-Path $base 'IocScan/9.9.9') -Force | Out-Null
        Test-IocModuleInstalled -ModuleBase $base -RequiredVersion '1.2.3' | Should -Be '1.10.0'
    }
}

Describe 'deploy/intune/Detect-IocScanRun.ps1' {
    BeforeAll { . (Join-Path $Deploy 'intune/Detect-IocScanRun.ps1') }
    BeforeEach { $script:Now = [datetime]'2026-12-07T08:00:00' }

    It 'is healthy after a recent clean run' {
        Mock Get-IocScanTask { [pscustomobject]@{ Name = 'FleetScan'; LastRunTime = $Now.AddDays(-1); LastResult = 0 } }
        $health = Test-IocScanHealth -TaskName FleetScan -MaxAgeDays 7 -Now $Now
        $health.Healthy | Should -BeTrue
        $health.Message | Should -Match 'clean'
    }

    It 'needs remediation when <Case>' -ForEach @(
        @{ Case = 'the task is missing'; Task = $null; Pattern = 'no scan task' }
        @{ Case = 'it never ran'; Task = @{ LastRunTime = $null; LastResult = $null }; Pattern = 'never run' }
        @{ Case = 'the last run is too old'; Task = @{ LastRunTime = [datetime]'2026-11-20T02:00:00'; LastResult = 0 }; Pattern = 'older than 7 days' }
        @{ Case = 'the last run had detections'; Task = @{ LastRunTime = [datetime]'2026-12-06T02:00:00'; LastResult = 1 }; Pattern = 'detections \(exit code 1\)' }
        @{ Case = 'the last run could not run'; Task = @{ LastRunTime = [datetime]'2026-12-06T02:00:00'; LastResult = 2 }; Pattern = 'could not run' }
        @{ Case = 'the last run was incomplete'; Task = @{ LastRunTime = [datetime]'2026-12-06T02:00:00'; LastResult = 3 }; Pattern = 'incomplete' }
        @{ Case = 'the last run was interrupted'; Task = @{ LastRunTime = [datetime]'2026-12-06T02:00:00'; LastResult = 143 }; Pattern = 'interrupted' }
        @{ Case = 'the result is unknown'; Task = @{ LastRunTime = [datetime]'2026-12-06T02:00:00'; LastResult = 267011 }; Pattern = 'unknown result' }
    ) {
        $answer = $null
        if ($Task) { $answer = [pscustomobject]@{ Name = 'FleetScan'; LastRunTime = $Task.LastRunTime; LastResult = $Task.LastResult } }
        Mock Get-IocScanTask ([scriptblock]::Create('$args | Out-Null; $script:TaskAnswer')) 
        $script:TaskAnswer = $answer
        $health = Test-IocScanHealth -TaskName FleetScan -MaxAgeDays 7 -Now $Now
        $health.Healthy | Should -BeFalse
        $health.Message | Should -Match $Pattern
    }
}

Describe 'deploy/intune/Remediate-IocScanRun.ps1' {
    BeforeAll { . (Join-Path $Deploy 'intune/Remediate-IocScanRun.ps1') }

    It 'starts the scan task' {
        Mock Start-IocScanTask { }
        (Invoke-IocScanRemediation -TaskName FleetScan).Started | Should -BeTrue
        Should -Invoke Start-IocScanTask -Times 1 -Exactly -ParameterFilter { $Name -eq 'FleetScan' }
    }

    It 'reports a task that cannot start' {
        Mock Start-IocScanTask { throw 'no such task' }
        $outcome = Invoke-IocScanRemediation -TaskName FleetScan
        $outcome.Started | Should -BeFalse
        $outcome.Message | Should -Match 'no such task'
    }
}

Describe 'deploy scripts' {
    It '<_> parses without errors' -ForEach @(
        'install/Install-IocScan.ps1', 'gpo/Install-IocScanFromShare.ps1', 'intune/Detect-IocScanModule.ps1',
        'intune/Detect-IocScanRun.ps1', 'intune/Remediate-IocScanRun.ps1'
    ) {
        $tokens = $null; $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseFile((Join-Path $Deploy $_), [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
    }

    It '<_> passes PSScriptAnalyzer (errors and warnings), when it is installed' -ForEach @(
        'install/Install-IocScan.ps1', 'gpo/Install-IocScanFromShare.ps1', 'intune/Detect-IocScanModule.ps1',
        'intune/Detect-IocScanRun.ps1', 'intune/Remediate-IocScanRun.ps1'
    ) {
        if (-not (Get-Module -ListAvailable PSScriptAnalyzer)) { Set-ItResult -Skipped -Because 'PSScriptAnalyzer is not installed'; return }
        $findings = @(Invoke-ScriptAnalyzer -Path (Join-Path $Deploy $_) -Severity Error, Warning -ExcludeRule PSAvoidUsingWriteHost)
        ($findings | ForEach-Object { "$($_.RuleName) line $($_.Line): $($_.Message)" }) | Should -BeNullOrEmpty
    }
}
