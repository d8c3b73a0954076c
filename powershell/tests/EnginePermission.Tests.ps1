# Which deno permission set the module runs the engine with: all permissions for live collection,
# the narrow set (read, env, sys, ffi, and only its store's files or host) for everything else.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
    $script:Narrow = @('--allow-read', '--allow-env', '--allow-sys', '--allow-ffi')
}

Describe 'Get-IocEnginePermission' {
    BeforeEach {
        Mock Test-IocWindows -ModuleName IocScan { $false }
    }

    It 'gives all permissions to live collection' {
        InModuleScope IocScan { Get-IocEnginePermission -Set Live -Store Write -DatabasePath /x.db } | Should -Be @('--allow-all')
    }

    It 'gives the narrow set, and no write access, to a command without a store or reading one' {
        InModuleScope IocScan { Get-IocEnginePermission -Set Offline } | Should -Be $Narrow
        InModuleScope IocScan { Get-IocEnginePermission -Set Offline -Store Read -DatabasePath /cases/ws01.db } | Should -Be $Narrow
    }

    It 'grants write access to the four files of an existing store folder only' {
        $database = Join-Path $TestDrive 'results.db'
        InModuleScope IocScan -Parameters @{ D = $database } { param($D) Get-IocEnginePermission -Set Offline -Store Write -DatabasePath $D } |
            Should -Be ($Narrow + @("--allow-write=$database,$database-wal,$database-shm,$database-journal"))
    }

    It 'grants the highest missing folder of a new store, and icacls on Windows' {
        $database = Join-Path $TestDrive 'new/deeper/results.db'
        InModuleScope IocScan -Parameters @{ D = $database } { param($D) Get-IocEnginePermission -Set Offline -Store Write -DatabasePath $D } |
            Should -Be ($Narrow + @("--allow-write=$(Join-Path $TestDrive 'new')"))
        Mock Test-IocWindows -ModuleName IocScan { $true }
        (InModuleScope IocScan -Parameters @{ D = $database } { param($D) Get-IocEnginePermission -Set Offline -Store Write -DatabasePath $D })[-1] |
            Should -Be '--allow-run=icacls'
    }

    It 'refuses a store path with a comma, which deno would split into two write grants' {
        $database = Join-Path $TestDrive 'a,b.db'
        { InModuleScope IocScan -Parameters @{ D = $database } { param($D) Get-IocEnginePermission -Set Offline -Store Write -DatabasePath $D } } |
            Should -Throw -ErrorId 'IocScan.UnsafeStorePath'
    }

    It 'grants network access to a PostgreSQL store''s host and port only, and to a scan the local store that keeps its run' {
        $local = Join-Path $TestDrive 'local.db'
        # A scan for a fleet store records its run locally first, then uploads it (docs/fleet.md).
        InModuleScope IocScan -Parameters @{ L = $local } { param($L) Get-IocEnginePermission -Set Offline -Store Write -DatabasePath 'postgres://u@db.example/iocscan' -LocalDatabasePath $L } |
            Should -Be ($Narrow + @('--allow-net=db.example:5432', "--allow-write=$local,$local-wal,$local-shm,$local-journal"))
        $default = InModuleScope IocScan { Get-IocDataPath -Kind StoreFile }
        $grants = InModuleScope IocScan { Get-IocEnginePermission -Set Offline -Store Write -DatabasePath 'postgres://u@db.example/iocscan' }
        $grants[0..($Narrow.Count)] | Should -Be ($Narrow + @('--allow-net=db.example:5432'))
        $grants[-1] | Should -BeLike '--allow-write=*'
        $grants[-1] | Should -Not -BeLike '*db.example*'
        if (Test-Path -LiteralPath (Split-Path -Parent $default)) { $grants[-1] | Should -BeLike "--allow-write=$default,*" }
        InModuleScope IocScan { Get-IocEnginePermission -Set Offline -Store Read -DatabasePath 'postgresql://u@10.0.0.5:6543/x' } |
            Should -Be ($Narrow + @('--allow-net=10.0.0.5:6543'))
    }
}

Describe 'The permission set each command runs the engine with' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        Mock Test-IocWindows -ModuleName IocScan { $false }
        Mock Invoke-IocEngine -ModuleName IocScan { New-EngineOutput -Lines @('{"type":"summary"}') -ExitCode 0 }
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'Get-IocIndicator and Get-IocScanResult use the narrow set' {
        Get-IocIndicator -Path $TestDrive | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { ($Permission -join ' ') -eq ($Narrow -join ' ') }
        $database = Join-Path $TestDrive 'r.db'
        Set-Content -Path $database -Value ''
        Get-IocScanResult -DatabasePath $database | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 2 -Exactly -ParameterFilter { ($Permission -join ' ') -eq ($Narrow -join ' ') }
    }

    It 'Invoke-IocScan of evidence only uses the narrow set with its store; a live scan all permissions' {
        $database = Join-Path $TestDrive 'scan.db'
        Invoke-IocScan -IocPath $TestDrive -Evidence (Join-Path $TestDrive 'NTUSER.DAT') -DatabasePath $database | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
            $Permission[0] -eq '--allow-read' -and $Permission[-1] -eq "--allow-write=$database,$database-wal,$database-shm,$database-journal"
        }
        Invoke-IocScan -IocPath $TestDrive -Path /srv -DatabasePath $database | Out-Null
        Invoke-IocScan -IocPath $TestDrive -Evidence /x.evtx -EventLog Security -DatabasePath $database | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 2 -Exactly -ParameterFilter { ($Permission -join ' ') -eq '--allow-all' }
    }

    It 'Invoke-IocScan of disk images only (-DiskImage, offline evidence) uses the narrow set' {
        $database = Join-Path $TestDrive 'disk.db'
        Invoke-IocScan -IocPath $TestDrive -DiskImage (Join-Path $TestDrive 'disk.img') -DatabasePath $database | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly -ParameterFilter {
            $Permission[0] -eq '--allow-read' -and $Permission[-1] -eq "--allow-write=$database,$database-wal,$database-shm,$database-journal"
        }
        Invoke-IocScan -IocPath $TestDrive -DiskImage (Join-Path $TestDrive 'disk.img') -Path /srv -DatabasePath $database | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly -ParameterFilter { ($Permission -join ' ') -eq '--allow-all' }
    }

    It 'puts the permission flags on the deno command line of a bundle' {
        $bundle = Join-Path $TestDrive 'iocscan.js'
        Set-Content -Path $bundle -Value '// bundle'
        $env:IOCSCAN_ENGINE = $bundle
        Mock Find-IocDeno -ModuleName IocScan { '/opt/deno/bin/deno' }
        $engine = InModuleScope IocScan { Resolve-IocEngine -Permission (Get-IocEnginePermission -Set Offline) }
        $engine.Arguments | Should -Be (@('run', '--quiet', '--no-prompt', '--no-config') + $Narrow + @('--v8-flags=--max-semi-space-size=4', $bundle))
    }
}
