BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Find-IocDeno' {
    BeforeEach {
        $script:savedPath = $env:PATH
        $script:savedInstall = $env:DENO_INSTALL
        # An empty PATH: only the fallbacks can find deno.
        $env:PATH = (Join-Path $TestDrive 'empty-path')
        $env:DENO_INSTALL = $null
        $script:fakeHome = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $script:fakeHome | Out-Null
        $script:exe = 'deno'
        if ($IsWindows) { $script:exe = 'deno.exe' }
    }
    AfterEach {
        $env:PATH = $script:savedPath
        $env:DENO_INSTALL = $script:savedInstall
    }

    It 'returns $null when deno is nowhere' {
        $found = InModuleScope IocScan -Parameters @{ HomePath = $script:fakeHome } {
            param($HomePath) Find-IocDeno -HomePath $HomePath -NpmCachePath (Join-Path $HomePath '.npm')
        }
        $found | Should -BeNullOrEmpty
    }

    It 'finds the copy Deno''s installer puts in ~/.deno/bin' {
        $bin = New-Item -ItemType Directory -Path (Join-Path $script:fakeHome '.deno/bin') -Force
        $deno = New-Item -ItemType File -Path (Join-Path $bin.FullName $script:exe)
        $found = InModuleScope IocScan -Parameters @{ HomePath = $script:fakeHome } {
            param($HomePath) Find-IocDeno -HomePath $HomePath
        }
        $found | Should -Be $deno.FullName
    }

    It 'finds the newest copy npx left in the npm cache' {
        $older = New-Item -ItemType Directory -Path (Join-Path $script:fakeHome '.npm/_npx/aaa/node_modules/deno') -Force
        $newer = New-Item -ItemType Directory -Path (Join-Path $script:fakeHome '.npm/_npx/bbb/node_modules/deno') -Force
        New-Item -ItemType Directory -Path (Join-Path $script:fakeHome '.npm/_npx/ccc/node_modules') -Force | Out-Null
        $old = New-Item -ItemType File -Path (Join-Path $older.FullName $script:exe)
        $new = New-Item -ItemType File -Path (Join-Path $newer.FullName $script:exe)
        (Get-Item $old.FullName).LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-2)
        (Get-Item $new.FullName).LastWriteTimeUtc = [datetime]::UtcNow
        $found = InModuleScope IocScan -Parameters @{ HomePath = $script:fakeHome } {
            param($HomePath) Find-IocDeno -HomePath $HomePath
        }
        $found | Should -Be $new.FullName
    }

    It 'prefers the deno in the module''s own bin folder (a release package) over PATH and the fallbacks' {
        $moduleRoot = New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))) -Force
        $bin = New-Item -ItemType Directory -Path (Join-Path $moduleRoot.FullName 'bin') -Force
        $packaged = New-Item -ItemType File -Path (Join-Path $bin.FullName $script:exe)
        $onPath = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'on-path') -Force
        New-Item -ItemType File -Path (Join-Path $onPath.FullName $script:exe) -Force | Out-Null
        if (-not $IsWindows) { /bin/chmod +x (Join-Path $onPath.FullName $script:exe) }
        $env:PATH = $onPath.FullName
        $installer = New-Item -ItemType Directory -Path (Join-Path $script:fakeHome '.deno/bin') -Force
        New-Item -ItemType File -Path (Join-Path $installer.FullName $script:exe) | Out-Null
        $found = InModuleScope IocScan -Parameters @{ HomePath = $script:fakeHome; ModuleRoot = $moduleRoot.FullName } {
            param($HomePath, $ModuleRoot) Find-IocDeno -HomePath $HomePath -ModuleRoot $ModuleRoot
        }
        $found | Should -Be $packaged.FullName
    }

    It 'falls back to PATH when the module has no bin/deno' {
        $moduleRoot = New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))) -Force
        $onPath = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'on-path-2') -Force
        $denoOnPath = New-Item -ItemType File -Path (Join-Path $onPath.FullName $script:exe) -Force
        if (-not $IsWindows) { /bin/chmod +x $denoOnPath.FullName }
        $env:PATH = $onPath.FullName
        $found = InModuleScope IocScan -Parameters @{ HomePath = $script:fakeHome; ModuleRoot = $moduleRoot.FullName } {
            param($HomePath, $ModuleRoot) Find-IocDeno -HomePath $HomePath -ModuleRoot $ModuleRoot
        }
        $found | Should -Be $denoOnPath.FullName
    }
}
