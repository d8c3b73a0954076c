# Install-IocScan.ps1 against a fake package and a fake module path, with the cmdlets that change
# the host beyond those folders (the installed module's ACL step, the event-log source) mocked.
BeforeAll {
    $script:Installer = Join-Path (Split-Path -Parent $PSScriptRoot) 'install/Install-IocScan.ps1'
    . $Installer

    function New-FakePackage([string] $Path, [string] $Version) {
        $module = New-Item -ItemType Directory -Path (Join-Path $Path 'IocScan/bin') -Force
        Set-Content -LiteralPath (Join-Path $Path 'IocScan/IocScan.psd1') -Value "@{ ModuleVersion = '$Version' }"
        Set-Content -LiteralPath (Join-Path $module.FullName 'iocscan.js') -Value "engine $Version"
        Set-Content -LiteralPath (Join-Path $Path 'LICENSE') -Value 'MIT'
        $lines = Get-ChildItem -LiteralPath $Path -Recurse -File | Where-Object Name -ne 'SHA256SUMS' | ForEach-Object {
            $relative = $_.FullName.Substring($Path.Length + 1) -replace '\\', '/'
            '{0}  {1}' -f (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash.ToLowerInvariant(), $relative
        }
        Set-Content -LiteralPath (Join-Path $Path 'SHA256SUMS') -Value $lines
        return $Path
    }
}

Describe 'Install-IocScan.ps1' {
    BeforeEach {
        $script:Root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:TestModuleBase = Join-Path $Root 'Program Files/WindowsPowerShell/Modules'
        $script:DataFolder = Join-Path $Root 'ProgramData/IocScan'
        $script:Package = New-FakePackage (Join-Path $Root 'package-1.2.3') '1.2.3'
        # The installed module's answer (its data folder), as a constant: a mock's body runs in the
        # caller's scope, where the installer's own $dataFolder would hide the test's.
        Mock Invoke-IocInstalledModule ([scriptblock]::Create("'$DataFolder'"))
        Mock Register-IocEventSource { }
        Mock Unregister-IocEventSource { }
    }

    It 'installs into a module path that does not exist yet, protects the data folders and registers the event source' {
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        Join-Path $TestModuleBase 'IocScan/1.2.3/IocScan.psd1' | Should -Exist
        Join-Path $TestModuleBase 'IocScan/1.2.3/bin/iocscan.js' | Should -Exist
        Should -Invoke Invoke-IocInstalledModule -Times 1 -Exactly -ParameterFilter {
            $ManifestPath -eq (Join-Path $TestModuleBase 'IocScan/1.2.3/IocScan.psd1') -and "$ScriptBlock" -match 'Protect-IocTaskFolder'
        }
        Should -Invoke Register-IocEventSource -Times 1 -Exactly
    }

    It 'is idempotent: a second run leaves one copy of the same version and exits 0' {
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        @(Get-ChildItem -LiteralPath (Join-Path $TestModuleBase 'IocScan')).Name | Should -Be @('1.2.3')
    }

    It 'upgrades in place: the old version and a flat copy go, the results stay' {
        $old = New-FakePackage (Join-Path $Root 'package-1.0.0') '1.0.0'
        Install-IocScanPackage -SourcePath $old -ModuleBase $TestModuleBase | Should -Be 0
        Set-Content -LiteralPath (Join-Path $TestModuleBase 'IocScan/IocScan.psm1') -Value 'flat copy of an older install'
        New-Item -ItemType Directory -Path $DataFolder -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $DataFolder 'iocscan.db') -Value 'results'
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        @(Get-ChildItem -LiteralPath (Join-Path $TestModuleBase 'IocScan') -Force).Name | Should -Be @('1.2.3')
        Get-Content -LiteralPath (Join-Path $TestModuleBase 'IocScan/1.2.3/bin/iocscan.js') | Should -Be 'engine 1.2.3'
        Get-Content -LiteralPath (Join-Path $DataFolder 'iocscan.db') | Should -Be 'results'
    }

    It 'exits 3010 when the old version is in use, with the new one installed' {
        $old = New-FakePackage (Join-Path $Root 'package-1.0.0') '1.0.0'
        Install-IocScanPackage -SourcePath $old -ModuleBase $TestModuleBase | Should -Be 0
        Mock Remove-Item { throw 'The process cannot access the file because it is being used by another process.' } -ParameterFilter { $LiteralPath -like '*1.0.0' }
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 3010
        Join-Path $TestModuleBase 'IocScan/1.2.3/IocScan.psd1' | Should -Exist
    }

    It 'exits 1603 and installs nothing when a file does not match SHA256SUMS' {
        Add-Content -LiteralPath (Join-Path $Package 'IocScan/bin/iocscan.js') -Value 'tampered'
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -ErrorAction SilentlyContinue -ErrorVariable problems | Should -Be 1603
        "$problems" | Should -Match 'changed: IocScan/bin/iocscan.js'
        Join-Path $TestModuleBase 'IocScan/1.2.3' | Should -Not -Exist
    }

    It 'exits 1603 when the package has no SHA256SUMS' {
        Remove-Item -LiteralPath (Join-Path $Package 'SHA256SUMS')
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -ErrorAction SilentlyContinue | Should -Be 1603
    }

    It 'exits 1603 when the data folders cannot be protected (not elevated)' {
        Mock Invoke-IocInstalledModule { throw 'Attempted to perform an unauthorized operation.' }
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -ErrorAction SilentlyContinue -ErrorVariable problems | Should -Be 1603
        "$problems" | Should -Match 'unauthorized'
    }

    It 'writes its progress to -LogPath' {
        $log = Join-Path $Root 'install.log'
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -LogPath $log | Should -Be 0
        Get-Content -LiteralPath $log -Raw | Should -Match 'installed IocScan 1\.2\.3'
    }

    It '-Uninstall unregisters the tasks, removes the module, the task definitions and the event source, and keeps the results' {
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        New-Item -ItemType Directory -Path (Join-Path $DataFolder 'tasks') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $DataFolder 'tasks/nightly.json') -Value '{}'
        Set-Content -LiteralPath (Join-Path $DataFolder 'iocscan.db') -Value 'results'
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -Uninstall -DataPath $DataFolder | Should -Be 0
        Should -Invoke Invoke-IocInstalledModule -ParameterFilter { "$ScriptBlock" -match 'Unregister-IocScanTask' }
        Should -Invoke Unregister-IocEventSource -Times 1 -Exactly
        Join-Path $TestModuleBase 'IocScan' | Should -Not -Exist
        Join-Path $DataFolder 'tasks' | Should -Not -Exist
        Join-Path $DataFolder 'iocscan.db' | Should -Exist
    }

    It '-Uninstall -RemoveResults removes the data folder too, and a second uninstall still exits 0' {
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase | Should -Be 0
        New-Item -ItemType Directory -Path $DataFolder -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $DataFolder 'iocscan.db') -Value 'results'
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -Uninstall -RemoveResults -DataPath $DataFolder | Should -Be 0
        $DataFolder | Should -Not -Exist
        Install-IocScanPackage -SourcePath $Package -ModuleBase $TestModuleBase -Uninstall -RemoveResults -DataPath $DataFolder | Should -Be 0
    }

    It 'run as a script, it exits with the code (Unix keeps its low 8 bits: 1603 reads 67 there)' {
        $pwsh = (Get-Command -Name pwsh, powershell -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
        & $pwsh -NoProfile -NonInteractive -File $Installer -SourcePath (Join-Path $Root 'nowhere') -ModuleBase $TestModuleBase 2>$null | Out-Null
        $expected = 1603
        if (-not $IsWindows -and $PSVersionTable.PSEdition -eq 'Core') { $expected = 1603 -band 0xFF }
        $LASTEXITCODE | Should -Be $expected
    }
}
