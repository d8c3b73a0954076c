# End-to-end: the module drives the real engine (bundled with `deno bundle`, run by deno with the
# engine permission set) on a generated tree with planted files and generated IOC files. Skipped,
# with the reason printed, when deno is missing or the engine cannot be bundled or has no
# `scan --task` yet.
BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:SkipReason = $null
    $script:ScanSkipReason = $null
    $script:Bundle = Join-Path ([System.IO.Path]::GetTempPath()) ("iocscan-pester-{0}/iocscan.js" -f [guid]::NewGuid().ToString('N'))
    $deno = Get-Command deno -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $deno) {
        $SkipReason = 'deno is not on PATH'
    } else {
        # What `deno task bundle` does, into a temporary folder so the checkout stays as it is.
        $output = & $deno.Source bundle --quiet --platform deno --config (Join-Path $RepoRoot 'deno.json') -o $Bundle (Join-Path $RepoRoot 'cli/main.ts') 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Bundle)) {
            $SkipReason = "the engine does not bundle: $(($output | Out-String).Trim())"
        } else {
            $help = & $deno.Source run --quiet --no-config --allow-read --allow-env --allow-sys $Bundle scan --help 2>&1 | Out-String
            if ($help -notmatch '--task') { $ScanSkipReason = 'the engine has no `scan --task` command yet' }
        }
    }
    if ($SkipReason) { $ScanSkipReason = $SkipReason }
    if ($SkipReason) { Write-Warning "RealEngine.Tests.ps1: real-engine tests are skipped: $SkipReason" }
    elseif ($ScanSkipReason) { Write-Warning "RealEngine.Tests.ps1: real-scan tests are skipped: $ScanSkipReason" }
}

Describe 'Get-IocIndicator with the real engine' -Skip:($null -ne $SkipReason) -ForEach @(@{ Bundle = $Bundle; LastUser = ($null -ne $ScanSkipReason) }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
        if ($LastUser) { Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'lists every IOC of the OpenIOC corpus, and says which are only partly evaluable' {
        $corpus = Get-CorpusPath 'openioc'
        if (-not $corpus) { Set-ItResult -Skipped -Because 'the shared corpus is missing (set IOCSCAN_SHARED)'; return }
        $indicators = @(Get-IocIndicator -Path $corpus -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $indicators.Count | Should -BeGreaterThan 100
        $indicators | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'IocScan.Indicator' }
        @($indicators | Where-Object { $_.Items -gt 0 -and $_.Evaluable -le $_.Items }).Count | Should -Be $indicators.Count
        @($indicators | Where-Object { -not $_.FullyEvaluable }).Count | Should -BeGreaterThan 0
        @($indicators | Where-Object { $_.Unsupported.Count -gt 0 }).Count | Should -BeGreaterThan 0
    }
}

Describe 'IocScan with the real engine' -Skip:($null -ne $ScanSkipReason) -ForEach @(@{ Bundle = $Bundle }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
        $script:Saved = Save-IocTestEnvironment
        $env:IOCSCAN_ENGINE = $Bundle

        function New-TestIoc([string] $Path, [string] $Id, [string] $Name, [string] $Search, [string] $Type, [string] $Content) {
            $document = $Search.Split('/')[0]
            $xml = @"
<?xml version="1.0" encoding="utf-8"?>
<ioc xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" id="$Id" last-modified="2026-11-28T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>$Name</short_description>
  <authored_by>Pester</authored_by>
  <authored_date>2026-11-28T00:00:00</authored_date>
  <links />
  <definition>
    <Indicator operator="OR" id="$Id-root">
      <IndicatorItem id="$Id-item" condition="is">
        <Context document="$document" search="$Search" type="mir" />
        <Content type="$Type">$Content</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@
            [System.IO.File]::WriteAllText($Path, $xml)
        }

        # The tree: ordinary files, a decoy with a similar name, and two planted files in hidden folders.
        $script:Tree = Join-Path $TestDrive 'tree'
        $planted = Join-Path $Tree '.hidden/.cache'
        New-Item -ItemType Directory -Path (Join-Path $Tree 'docs'), (Join-Path $Tree 'bin'), $planted, (Join-Path $Tree 'more/.x') -Force | Out-Null
        Set-Content -Path (Join-Path $Tree 'docs/readme.txt') -Value 'nothing to see'
        Set-Content -Path (Join-Path $Tree 'bin/svchost.exe') -Value 'an ordinary program'
        $script:PlantedByName = Join-Path $planted 'svch0st.exe'
        [System.IO.File]::WriteAllText($PlantedByName, 'planted by name')
        $script:PlantedByHash = Join-Path $Tree 'more/.x/payload.dat'
        $payload = [System.Text.Encoding]::UTF8.GetBytes("planted payload $([guid]::NewGuid())")
        [System.IO.File]::WriteAllBytes($PlantedByHash, $payload)
        $md5 = [System.Security.Cryptography.MD5]::Create()
        $hash = -join ($md5.ComputeHash($payload) | ForEach-Object { $_.ToString('x2') })

        $script:Iocs = Join-Path $TestDrive 'iocs'
        New-Item -ItemType Directory -Path $Iocs -Force | Out-Null
        $script:ByNameId = '11111111-1111-4111-8111-111111111111'
        $script:ByHashId = '22222222-2222-4222-8222-222222222222'
        $script:CleanId = '33333333-3333-4333-8333-333333333333'
        New-TestIoc (Join-Path $Iocs 'by-name.ioc') $ByNameId 'Planted by name' 'FileItem/FileName' 'string' 'svch0st.exe'
        New-TestIoc (Join-Path $Iocs 'by-hash.ioc') $ByHashId 'Planted by hash' 'FileItem/Md5sum' 'md5' $hash
        New-TestIoc (Join-Path $Iocs 'clean.ioc') $CleanId 'Nothing here' 'FileItem/FileName' 'string' 'not-on-this-disk.dll'
        [System.IO.File]::WriteAllText((Join-Path $Iocs 'broken.ioc'), '<ioc><definition><Indicator>')

        $script:Database = Join-Path $TestDrive 'results.db'
    }
    AfterAll {
        Restore-IocTestEnvironment $Saved
        Remove-Item -LiteralPath (Split-Path $Bundle) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Get-IocIndicator lists the generated IOCs and rejects the broken one' {
        $indicators = @(Get-IocIndicator -Path $Iocs -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($indicators.Id | Sort-Object) | Should -Be @($ByNameId, $ByHashId, $CleanId)
        $indicators | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'IocScan.Indicator' }
        $indicators | ForEach-Object { $_.FullyEvaluable | Should -BeTrue }
        @($problems | Where-Object FullyQualifiedErrorId -like 'IocScan.IocFileRejected*').Count | Should -Be 1
    }

    It 'Invoke-IocScan returns exactly the planted detections as IocScan.Detection objects' {
        $script:Detections = @(Invoke-IocScan -IocPath $Iocs -Path $Tree -DatabasePath $Database -TaskName pester `
                -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($Detections.IocId | Sort-Object) | Should -Be @($ByNameId, $ByHashId)
        foreach ($detection in $Detections) {
            $detection.PSObject.TypeNames[0] | Should -Be 'IocScan.Detection'
            $detection.RunId | Should -BeGreaterThan 0
            $detection.Timestamp | Should -BeOfType [datetime]
            $detection.Evidence[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Evidence'
        }
        ($Detections | Where-Object IocId -eq $ByNameId).Objects | Should -Be @($PlantedByName)
        ($Detections | Where-Object IocId -eq $ByHashId).Objects | Should -Be @($PlantedByHash)
        ($Detections | Where-Object IocId -eq $ByNameId).IocName | Should -Be 'Planted by name'
        ($Detections | Where-Object IocId -eq $ByNameId).Evidence[0].Items[0].Search | Should -Be 'FileItem/FileName'
        @($problems | Where-Object FullyQualifiedErrorId -like 'IocScan.IocFileRejected*').Count | Should -Be 1
    }

    It 'Invoke-IocScan returns nothing and no error on a clean scan' {
        $clean = @(Invoke-IocScan -IocPath (Join-Path $Iocs 'clean.ioc') -Path $Tree -DatabasePath $Database -ErrorAction Stop -WarningAction SilentlyContinue)
        $clean.Count | Should -Be 0
    }

    It 'Invoke-IocScan throws IocScan.EngineFailed when nothing can run' {
        { Invoke-IocScan -IocPath (Join-Path $Iocs 'broken.ioc') -Path $Tree -DatabasePath $Database -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'IocScan.EngineFailed,Invoke-IocScan'
    }

    It 'Invoke-IocScan -Evidence evaluates event log IOCs against an .evtx file of the corpus, read in place' {
        $corpus = Get-CorpusPath 'evtx'
        if (-not $corpus) { Set-ItResult -Skipped -Because 'the shared corpus is missing (set IOCSCAN_SHARED)'; return }
        $evtx = Join-Path $corpus 'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1021.002-SMB Windows Admin Shares/ID5140-ADMIN$ share connection with Golden ticket.evtx'
        if (-not (Test-Path -LiteralPath $evtx)) { Set-ItResult -Skipped -Because "the EVTX corpus is not at $corpus"; return }
        $eventIocs = Join-Path $TestDrive 'event-iocs'
        New-Item -ItemType Directory -Path $eventIocs -Force | Out-Null
        $eventIocId = '44444444-4444-4444-8444-444444444444'
        New-TestIoc (Join-Path $eventIocs 'share.ioc') $eventIocId 'Admin share access' 'EventLogItem/EID' 'int' '5140'
        New-TestIoc (Join-Path $eventIocs 'other.ioc') $CleanId 'Service install' 'EventLogItem/EID' 'int' '7045'
        $database = Join-Path $TestDrive 'events.db'
        $output = @(Invoke-IocScan -IocPath $eventIocs -Evidence $evtx -DatabasePath $database -WarningAction SilentlyContinue -Verbose 4>&1)
        $hits = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $hits.IocId | Should -Be @($eventIocId)
        $hits[0].Evidence[0].Document | Should -Be 'EventLogItem'
        $hits[0].Objects.Count | Should -BeGreaterThan 0
        # Offline evidence: the narrow permission set, writing the store's files only.
        $engineLine = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'iocscan engine:*' })[0].Message
        $engineLine | Should -Not -Match -- '--allow-all'
        $engineLine | Should -Match ([regex]::Escape("--allow-read --allow-env --allow-sys --allow-ffi --allow-write=$database,$database-wal,"))
        @(Get-IocScanResult -DatabasePath $database -NoDetection).Count | Should -Be 1
    }

    It 'Invoke-IocScan -DatabasePath postgres:// as an endpoint login of a fleet store: narrow permissions, the run uploaded, only its own runs read back' {
        $server = $env:IOCSCAN_TEST_PG_URL
        $psql = Get-Command psql -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $server -or -not $psql) { Set-ItResult -Skipped -Because 'IOCSCAN_TEST_PG_URL or psql is missing (docs/fleet.md, "Tests")'; return }
        $corpus = Get-CorpusPath 'evtx'
        if (-not $corpus) { Set-ItResult -Skipped -Because 'the shared corpus is missing (set IOCSCAN_SHARED)'; return }
        $evtx = Join-Path $corpus 'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1021.002-SMB Windows Admin Shares/ID5140-ADMIN$ share connection with Golden ticket.evtx'
        if (-not (Test-Path -LiteralPath $evtx)) { Set-ItResult -Skipped -Because "the EVTX corpus is not at $corpus"; return }
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 12)
        $name = "iocscan_fleet_$suffix"
        $role = "host_ps_$suffix"
        $password = [guid]::NewGuid().ToString('N')
        & $psql.Source -q -X $server -c "CREATE DATABASE $name" | Out-Null
        try {
            $admin = [UriBuilder]$server
            $admin.Path = "/$name"
            & deno run -q -A $Bundle store init-postgres --admin-url $admin.Uri.AbsoluteUri | Out-Null
            $LASTEXITCODE | Should -Be 0
            & $psql.Source -q -X $server -c "CREATE ROLE $role LOGIN PASSWORD '$password' IN ROLE iocscan_endpoint" | Out-Null
            $endpoint = [UriBuilder]$admin.Uri
            $endpoint.UserName = $role
            $endpoint.Password = $password
            $fleetIocs = Join-Path $TestDrive 'fleet-iocs'
            New-Item -ItemType Directory -Path $fleetIocs -Force | Out-Null
            $fleetIocId = '55555555-5555-4555-8555-555555555555'
            New-TestIoc (Join-Path $fleetIocs 'share.ioc') $fleetIocId 'Admin share access' 'EventLogItem/EID' 'int' '5140'
            $local = Join-Path $TestDrive 'fleet-local/local.db'
            $output = @(Invoke-IocScan -IocPath $fleetIocs -Evidence $evtx -DatabasePath $endpoint.Uri.AbsoluteUri -LocalDatabasePath $local -WarningAction SilentlyContinue -Verbose 4>&1)
            $hits = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            $hits.IocId | Should -Be @($fleetIocId)
            $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $verbose | Should -Not -Match -- '--allow-all'
            $verbose | Should -Match 'uploaded to the fleet store postgres://host_ps_[0-9a-f]+@'
            $verbose | Should -Not -Match $password
            Test-Path -LiteralPath $local | Should -BeTrue
            @(Get-IocScanResult -DatabasePath $endpoint.Uri.AbsoluteUri -NoDetection).Count | Should -Be 1
            # Another login's run is not this login's to read.
            & $psql.Source -q -X $admin.Uri.AbsoluteUri -c "INSERT INTO runs (host, user_name, started_at, status, owner_role) VALUES ('elsewhere', 'u', '2026-12-07T00:00:00Z', 'completed', 'someone_else')" | Out-Null
            @(Get-IocScanResult -DatabasePath $endpoint.Uri.AbsoluteUri -NoDetection).Count | Should -Be 1
        } finally {
            & $psql.Source -q -X $server -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" | Out-Null
            & $psql.Source -q -X $server -c "DROP ROLE IF EXISTS $role" | Out-Null
        }
    }

    It 'Invoke-IocScan stopped with Ctrl+C leaves an interrupted run with the detections found so far' {
        # A slow tree: hard links to one 16 MB file, hashed one by one (about 19 GB, several seconds
        # even on a quiet machine); one link in 20 is a hit by name.
        $slow = Join-Path $TestDrive 'slow'
        $original = Join-Path $TestDrive 'original.bin'
        $bytes = New-Object byte[] (16MB)
        (New-Object System.Random 7).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes($original, $bytes)
        $linkCount = 1200
        foreach ($index in 0..($linkCount - 1)) {
            $folder = Join-Path $slow ('d{0}' -f ($index % 10))
            if ($index -lt 10) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
            $name = if ([Math]::Floor($index / 10) % 20 -eq 0) { "$index-evil.exe" } else { "f$index.bin" }
            New-Item -ItemType HardLink -Path (Join-Path $folder $name) -Target $original | Out-Null
        }
        $slowIocs = Join-Path $TestDrive 'slow-iocs'
        New-Item -ItemType Directory -Path $slowIocs -Force | Out-Null
        [System.IO.File]::WriteAllText((Join-Path $slowIocs 'slow.ioc'), @"
<?xml version="1.0" encoding="utf-8"?>
<ioc id="55555555-5555-4555-8555-555555555555" last-modified="2026-12-07T00:00:00" xmlns="http://schemas.mandiant.com/2010/ioc">
  <short_description>Slow</short_description>
  <authored_date>2026-12-07T00:00:00</authored_date>
  <definition>
    <Indicator operator="OR" id="slow-root">
      <IndicatorItem id="slow-name" condition="contains"><Context document="FileItem" search="FileItem/FileName" type="mir" /><Content type="string">-evil.exe</Content></IndicatorItem>
      <IndicatorItem id="slow-md5" condition="is"><Context document="FileItem" search="FileItem/Md5sum" type="mir" /><Content type="md5">00112233445566778899aabbccddeeff</Content></IndicatorItem>
    </Indicator>
  </definition>
</ioc>
"@)
        $slowDatabase = Join-Path $TestDrive 'interrupted.db'
        $module = Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1'
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$module'; Invoke-IocScan -IocPath '$slowIocs' -Path '$slow' -DatabasePath '$slowDatabase' -TaskName stopped")
            $null = $shell.BeginInvoke()
            # Wait until the engine reports 40 objects, then do what Ctrl+C does.
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $objects = 0
            while ($objects -lt 40 -and $clock.Elapsed.TotalSeconds -lt 60 -and -not $shell.InvocationStateInfo.State.ToString().EndsWith('ed')) {
                foreach ($record in @($shell.Streams.Progress)) {
                    if ($record.StatusDescription -match ': (\d+) objects') { $objects = [Math]::Max($objects, [int]$Matches[1]) }
                }
                Start-Sleep -Milliseconds 20
            }
            $objects | Should -BeGreaterOrEqual 40
            $shell.Stop()
        } finally {
            $shell.Dispose()
        }
        $runs = @(Get-IocScanResult -DatabasePath $slowDatabase -TaskName stopped)
        $runs.Count | Should -Be 1
        $runs[0].Status | Should -Be 'interrupted'
        $runs[0].Counts.objects | Should -BeLessThan $linkCount
        $found = @($runs[0].Detections)
        $found.Count | Should -Be 1
        $found[0].Objects.Count | Should -BeGreaterThan 0
        $found[0].Objects.Count | Should -BeLessThan ($linkCount / 20)
    }

    It 'Get-IocScanResult reads the stored run back with its detections' {
        $runs = @(Get-IocScanResult -DatabasePath $Database -TaskName pester)
        $runs.Count | Should -Be 1
        $runs[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Run'
        $runs[0].Id | Should -Be $Detections[0].RunId
        $runs[0].TaskName | Should -Be 'pester'
        $runs[0].Started | Should -BeOfType [datetime]
        @($runs[0].Detections.IocId | Sort-Object) | Should -Be @($ByNameId, $ByHashId)
        $runs[0].Detections[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Detection'

        $piped = @($Detections | Get-IocScanResult -DatabasePath $Database)
        $piped.Count | Should -Be 1
        $piped[0].Id | Should -Be $runs[0].Id
        @(Get-IocScanResult -DatabasePath $Database).Count | Should -BeGreaterOrEqual 2
    }

    It 'Invoke-IocScan and Get-IocScanResult keep two IOCs of one id apart by IocSha256, copies folded' {
        $sharedIocs = Join-Path $TestDrive 'shared-id-iocs'
        New-Item -ItemType Directory -Path $sharedIocs -Force | Out-Null
        $sharedId = '55555555-5555-4555-8555-555555555555'
        New-TestIoc (Join-Path $sharedIocs 'by-name.ioc') $sharedId 'Shared id, by name' 'FileItem/FileName' 'string' 'svch0st.exe'
        New-TestIoc (Join-Path $sharedIocs 'by-hash.ioc') $sharedId 'Shared id, by hash' 'FileItem/Md5sum' 'md5' $hash
        Copy-Item -LiteralPath (Join-Path $sharedIocs 'by-name.ioc') -Destination (Join-Path $sharedIocs 'copy.ioc')
        $sha = { param($file) (Get-FileHash -LiteralPath (Join-Path $sharedIocs $file) -Algorithm SHA256).Hash.ToLowerInvariant() }
        $database = Join-Path $TestDrive 'shared-id.db'
        $hits = @(Invoke-IocScan -IocPath $sharedIocs -Path $Tree -DatabasePath $database -TaskName shared-id `
                -WarningVariable warned -WarningAction SilentlyContinue)
        @($hits.IocId) | Should -Be @($sharedId, $sharedId)
        @($hits | Sort-Object IocName | ForEach-Object IocSha256) | Should -Be @((& $sha 'by-hash.ioc'), (& $sha 'by-name.ioc'))
        ($hits | Where-Object IocSha256 -eq (& $sha 'by-name.ioc')).Objects | Should -Be @($PlantedByName)
        ($hits | Where-Object IocSha256 -eq (& $sha 'by-hash.ioc')).Objects | Should -Be @($PlantedByHash)
        @($warned | Where-Object { "$_" -like '*byte-identical*' }).Count | Should -Be 1
        $stored = @(Get-IocScanResult -DatabasePath $database -TaskName shared-id)
        @($stored[0].Detections | Sort-Object IocName | ForEach-Object IocSha256) | Should -Be @((& $sha 'by-hash.ioc'), (& $sha 'by-name.ioc'))
    }

    It 'Invoke-IocScan -DataType process returns the detection of a running process, naming it, and not the near miss' {
        if (-not $IsLinux) { Set-ItResult -Skipped -Because 'the live process test runs on Linux here (Windows paths are tested on recorded API output)'; return }
        # A copy of sleep under a name no other process has.
        $name = 'iocscan-pester-{0}' -f ([guid]::NewGuid().ToString('N').Substring(0, 8))
        $program = Join-Path $TestDrive $name
        Copy-Item -LiteralPath (Get-Command sleep -CommandType Application | Select-Object -First 1).Source -Destination $program
        & chmod 755 $program
        $process = Start-Process -FilePath $program -ArgumentList '300' -PassThru
        try {
            $processIocs = Join-Path $TestDrive 'process-iocs'
            New-Item -ItemType Directory -Path $processIocs -Force | Out-Null
            $processIocId = '66666666-6666-4666-8666-666666666666'
            New-TestIoc (Join-Path $processIocs 'process.ioc') $processIocId 'A process by name' 'ProcessItem/name' 'string' $name
            New-TestIoc (Join-Path $processIocs 'near-miss.ioc') $CleanId 'Not running' 'ProcessItem/name' 'string' "$name-not-running"
            $database = Join-Path $TestDrive 'process.db'
            $hits = @(Invoke-IocScan -IocPath $processIocs -DataType process -DatabasePath $database -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
            $hits.IocId | Should -Be @($processIocId)
            $hits[0].Evidence[0].Document | Should -Be 'ProcessItem'
            $hits[0].Objects | Should -Be @("pid $($process.Id) $name 300")
        } finally {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        }
    }

    It 'Invoke-IocScan -Evidence reads services from a corpus SYSTEM hive: a ServiceItem IOC hits, its near miss does not' {
        $corpus = Get-CorpusPath 'registry'
        if (-not $corpus) { Set-ItResult -Skipped -Because 'the shared corpus is missing (set IOCSCAN_SHARED)'; return }
        $packed = Join-Path $corpus 'regipy/SYSTEM.xz'
        $xz = Get-Command xz -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not (Test-Path -LiteralPath $packed) -or -not $xz) { Set-ItResult -Skipped -Because 'regipy/SYSTEM.xz or xz is missing'; return }
        $hive = Join-Path $TestDrive 'SYSTEM'
        # PowerShell carries native output as text: a shell redirects xz's bytes to the file (the
        # paths are passed as arguments, never spliced into the command).
        & sh -c 'exec "$1" -dc -- "$2" > "$3"' sh $xz.Source $packed $hive
        $serviceIocs = Join-Path $TestDrive 'service-iocs'
        New-Item -ItemType Directory -Path $serviceIocs -Force | Out-Null
        $serviceIocId = '77777777-7777-4777-8777-777777777777'
        New-TestIoc (Join-Path $serviceIocs 'service.ioc') $serviceIocId 'Adobe updater service' 'ServiceItem/name' 'string' 'AdobeARMservice'
        New-TestIoc (Join-Path $serviceIocs 'near-miss.ioc') $CleanId 'Not installed' 'ServiceItem/name' 'string' 'AdobeARMservice2'
        $hits = @(Invoke-IocScan -IocPath $serviceIocs -Evidence $hive -DatabasePath (Join-Path $TestDrive 'service.db') -WarningAction SilentlyContinue)
        $hits.IocId | Should -Be @($serviceIocId)
        $hits[0].Evidence[0].Document | Should -Be 'ServiceItem'
        $hits[0].Objects | Should -Be @('HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\AdobeARMservice')
    }
}
