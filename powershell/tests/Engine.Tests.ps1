BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Resolve-IocEngine' {
    BeforeEach {
        $script:SavedEngine = $env:IOCSCAN_ENGINE
        $env:IOCSCAN_ENGINE = $null
        $script:Root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $script:ModuleRoot = Join-Path $Root 'powershell/IocScan'
        New-Item -ItemType Directory -Path (Join-Path $ModuleRoot 'bin'), (Join-Path $Root 'dist') -Force | Out-Null
        Mock Find-IocDeno -ModuleName IocScan { '/opt/deno/bin/deno' }
        Mock Test-IocWindows -ModuleName IocScan { $false }
    }
    AfterEach {
        $env:IOCSCAN_ENGINE = $SavedEngine
    }

    It 'prefers the compiled executable in the module bin folder' {
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan') -Value 'binary'
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan.js') -Value '// bundle'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Kind | Should -Be 'Executable'
        $engine.FileName | Should -Be (Join-Path $ModuleRoot 'bin/iocscan')
        $engine.Arguments | Should -BeNullOrEmpty
    }

    It 'looks for bin/iocscan.exe on Windows' {
        Mock Test-IocWindows -ModuleName IocScan { $true }
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan') -Value 'linux binary'
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan.exe') -Value 'windows binary'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.FileName | Should -Be (Join-Path $ModuleRoot 'bin/iocscan.exe')
    }

    It 'falls back to deno running bin/iocscan.js with the engine permission set' {
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan.js') -Value '// bundle'
        Set-Content -Path (Join-Path $Root 'dist/iocscan.js') -Value '// checkout bundle'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Kind | Should -Be 'Deno'
        $engine.FileName | Should -Be '/opt/deno/bin/deno'
        $engine.Arguments[0] | Should -Be 'run'
        $engine.Arguments | Should -Contain '--allow-all'
        $engine.Arguments[-1] | Should -Be (Join-Path $ModuleRoot 'bin/iocscan.js')
    }

    It 'then to the checkout bundle dist/iocscan.js two folders up' {
        Set-Content -Path (Join-Path $Root 'dist/iocscan.js') -Value '// checkout bundle'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Kind | Should -Be 'Deno'
        $engine.Arguments[-1] | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $Root 'dist/iocscan.js')))
    }

    It 'then, in a checkout without a bundle, to deno running cli/main.ts with the checkout config' {
        New-Item -ItemType Directory -Path (Join-Path $Root 'cli') -Force | Out-Null
        Set-Content -Path (Join-Path $Root 'cli/main.ts') -Value '// entry'
        Set-Content -Path (Join-Path $Root 'deno.json') -Value '{}'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Source | Should -Be 'checkout'
        $engine.Arguments[-1] | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $Root 'cli/main.ts')))
        $engine.Arguments | Should -Contain '--config'
        $engine.Arguments | Should -Contain '--allow-all'

        Set-Content -Path (Join-Path $Root 'dist/iocscan.js') -Value '// checkout bundle'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Source | Should -Be 'bundle'
    }

    It 'throws IocScan.EngineNotFound saying how to build the engine when nothing is there' {
        { InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root } } |
            Should -Throw -ErrorId 'IocScan.EngineNotFound' -ExpectedMessage '*deno task bundle*deno task compile*'
    }

    It 'throws IocScan.EngineNotFound when a bundle exists but deno does not' {
        Mock Find-IocDeno -ModuleName IocScan { $null }
        Set-Content -Path (Join-Path $Root 'dist/iocscan.js') -Value '// checkout bundle'
        { InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root } } |
            Should -Throw -ErrorId 'IocScan.EngineNotFound' -ExpectedMessage '*needs deno*'
    }

    It 'honours IOCSCAN_ENGINE before everything else' {
        Set-Content -Path (Join-Path $ModuleRoot 'bin/iocscan') -Value 'binary'
        $override = Join-Path $Root 'custom-engine'
        Set-Content -Path $override -Value 'other binary'
        $env:IOCSCAN_ENGINE = $override
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.FileName | Should -Be $override
        $engine.Source | Should -Be 'IOCSCAN_ENGINE'

        $env:IOCSCAN_ENGINE = Join-Path $Root 'dist/other.js'
        Set-Content -Path $env:IOCSCAN_ENGINE -Value '// bundle'
        $engine = InModuleScope IocScan -Parameters @{ Root = $ModuleRoot } { param($Root) Resolve-IocEngine -ModuleRoot $Root }
        $engine.Kind | Should -Be 'Deno'
        $engine.Arguments[-1] | Should -Be $env:IOCSCAN_ENGINE
    }

    It 'rejects an IOCSCAN_ENGINE that does not exist' {
        $env:IOCSCAN_ENGINE = Join-Path $Root 'missing-engine'
        { InModuleScope IocScan { Resolve-IocEngine } } | Should -Throw -ErrorId 'IocScan.EngineNotFound' -ExpectedMessage '*IOCSCAN_ENGINE*'
    }
}

Describe 'ConvertTo-IocCommandLine' {
    It 'quotes <Case> so that CommandLineToArgvW splits it back' -ForEach @(
        @{ Case = 'plain tokens'; Arguments = @('scan', '--task', 'C:\t.json'); Expected = 'scan --task C:\t.json' }
        @{ Case = 'spaces'; Arguments = @('--task', 'C:\Program Data\t.json'); Expected = '--task "C:\Program Data\t.json"' }
        @{ Case = 'a trailing backslash in quotes'; Arguments = @('C:\My Dir\'); Expected = '"C:\My Dir\\"' }
        @{ Case = 'embedded quotes'; Arguments = @('say "hi"'); Expected = '"say \"hi\""' }
        @{ Case = 'backslashes before a quote'; Arguments = @('a\"b'); Expected = '"a\\\"b"' }
        @{ Case = 'an empty argument'; Arguments = @('x', ''); Expected = 'x ""' }
    ) {
        InModuleScope IocScan -Parameters @{ Arguments = $Arguments } { param($Arguments) ConvertTo-IocCommandLine -Argument $Arguments } |
            Should -BeExactly $Expected
    }
}

Describe 'Invoke-IocEngine' {
    BeforeEach {
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = Get-FakeEnginePath
        $env:IOCSCAN_FAKE_OUTPUT = Join-Path $TestDrive 'out.ndjson'
        $env:IOCSCAN_FAKE_RECORD = Join-Path $TestDrive 'record.json'
    }
    AfterEach {
        Restore-IocTestEnvironment $Saved
    }

    It 'streams stdout lines, keeps stderr apart and reports the exit code' {
        [System.IO.File]::WriteAllLines($env:IOCSCAN_FAKE_OUTPUT, [string[]]@('{"type":"summary","a":1}', '', '{"type":"summary","ü":"é"}'))
        $env:IOCSCAN_FAKE_EXIT = '1'
        $env:IOCSCAN_FAKE_STDERR = 'diagnostic on stderr'
        $output = @(InModuleScope IocScan { Invoke-IocEngine -Argument 'scan', '--task', 'C:\with space\t.json', '--json' })
        $output.Count | Should -Be 3
        $output[0] | Should -BeExactly '{"type":"summary","a":1}'
        $output[1] | Should -BeExactly '{"type":"summary","ü":"é"}'
        $output[2].ExitCode | Should -Be 1
        $output[2].StandardError | Should -Match 'diagnostic on stderr'
        Get-Content $env:IOCSCAN_FAKE_RECORD | Should -Be @('scan', '--task', 'C:\with space\t.json', '--json')
    }
}

Describe 'Invoke-IocEngine when the pipeline stops early' -Skip:($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
    BeforeAll {
        $script:Saved = Save-IocTestEnvironment
        # An engine that prints one event, then waits on a child process for a long time.
        $script:Pids = Join-Path $TestDrive 'pids.txt'
        $script:Engine = Join-Path $TestDrive 'slow-engine.sh'
        Set-Content -Path $Engine -Value @"
#!/bin/sh
echo '{"type":"detection","ioc":{"id":"a","name":"A","file":"f","version":"1"},"evidence":[]}'
sleep 300 &
echo "`$`$ `$!" > '$Pids'
wait
"@
        & chmod +x $Engine
        $env:IOCSCAN_ENGINE = $Engine
        # This engine ignores the end of its stdin: it is killed once the wait is over.
        InModuleScope IocScan { $script:EngineStopTimeout = [timespan]::FromSeconds(2) }
    }
    AfterAll {
        InModuleScope IocScan { $script:EngineStopTimeout = [timespan]::FromSeconds(60) }
        Restore-IocTestEnvironment $Saved
    }

    It 'stops the engine and its children (Select-Object -First 1), after waiting for it to stop by itself' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $first = @(Invoke-IocScan -IocPath /iocs | Select-Object -First 1)
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 1.5
        $first.Count | Should -Be 1
        $ids = (Get-Content $Pids).Split(' ') | ForEach-Object { [int]$_ }
        $ids.Count | Should -Be 2
        foreach ($id in $ids) {
            $alive = Get-Process -Id $id -ErrorAction SilentlyContinue
            # A killed child may linger for a moment as a zombie until it is reaped; it must not be running.
            if ($alive) { $alive.WaitForExit(5000) | Out-Null; $alive.HasExited | Should -BeTrue }
        }
    }
}

Describe 'Invoke-IocScan stopped with Ctrl+C' -Skip:($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
    BeforeAll {
        $script:Saved = Save-IocTestEnvironment
        # An engine that scans until its stdin ends, then takes a second to store its run.
        $script:Marks = Join-Path $TestDrive 'marks'
        New-Item -ItemType Directory -Path $Marks -Force | Out-Null
        $script:Engine = Join-Path $TestDrive 'stoppable-engine.sh'
        Set-Content -Path $Engine -Value @"
#!/bin/sh
printf '%s\n' "`$@" > '$Marks/arguments'
echo '{"type":"detection","runId":5,"ioc":{"id":"a","name":"A","file":"f","version":"1"},"evidence":[]}'
echo started > '$Marks/started'
cat > /dev/null
echo stdin-closed > '$Marks/stdin-closed'
sleep 1
echo '{"type":"summary","runId":5,"status":"interrupted","signal":"SIGINT","via":"stdin"}'
echo stored > '$Marks/stored'
exit 130
"@
        & chmod +x $Engine
        $env:IOCSCAN_ENGINE = $Engine
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
    }

    It 'closes the engine''s stdin and waits for it to store its run, instead of killing it' {
        $module = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1'
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$module'; Invoke-IocScan -IocPath /iocs -Path /srv")
            $null = $shell.BeginInvoke()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while (-not (Test-Path (Join-Path $Marks 'started')) -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 50 }
            Test-Path (Join-Path $Marks 'started') | Should -BeTrue
            Start-Sleep -Milliseconds 300
            Test-Path (Join-Path $Marks 'stdin-closed') | Should -BeFalse
            # What Ctrl+C does to the running pipeline; returns once it has stopped.
            $shell.Stop()
            Test-Path (Join-Path $Marks 'stdin-closed') | Should -BeTrue
            Test-Path (Join-Path $Marks 'stored') | Should -BeTrue
            Get-Content (Join-Path $Marks 'arguments') | Should -Contain '--stop-on-stdin-close'
        } finally {
            $shell.Dispose()
        }
    }
}

Describe 'ConvertTo-IocPSObject' {
    It 'turns parsed dictionaries and lists into the objects ConvertFrom-Json gives (for 5.1 lines past 2 MB)' {
        $parsed = InModuleScope IocScan {
            $dictionary = New-Object 'System.Collections.Generic.Dictionary[string,object]'
            $dictionary['type'] = 'detection'
            $dictionary['ioc'] = @{ id = 'a'; name = 'A' }
            $item = New-Object 'System.Collections.Generic.Dictionary[string,object]'
            $item['observed'] = [object[]]@('x')
            $dictionary['evidence'] = [object[]]@(@{ object = '/x'; items = [object[]]@($item) })
            $dictionary['empty'] = [object[]]@()
            ConvertTo-IocPSObject -InputObject $dictionary
        }
        $parsed | Should -BeOfType [pscustomobject]
        $parsed.type | Should -Be 'detection'
        $parsed.ioc.id | Should -Be 'a'
        $parsed.evidence.GetType().IsArray | Should -BeTrue
        $parsed.evidence[0].object | Should -Be '/x'
        $parsed.evidence[0].items[0].observed | Should -Be @('x')
        $parsed.evidence[0].items[0].observed.GetType().IsArray | Should -BeTrue
        $parsed.empty.Count | Should -Be 0
        (InModuleScope IocScan { ConvertFrom-IocJsonLine -Line '{"type":"summary","n":[1]}' }).n | Should -Be @(1)
    }
}
