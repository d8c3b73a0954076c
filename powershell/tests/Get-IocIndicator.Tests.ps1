BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'IocScan/IocScan.psd1') -Force
}

Describe 'Get-IocIndicator' {
    BeforeEach {
        New-Item -ItemType Directory -Path (Join-Path $TestDrive 'iocs') -Force | Out-Null
        Set-Content -Path (Join-Path $TestDrive 'iocs/a.ioc') -Value '<ioc/>'
        Set-Content -Path (Join-Path $TestDrive 'iocs/b.ioc') -Value '<ioc/>'
        $script:Captured = @{}
        Mock Invoke-IocEngine -ModuleName IocScan {
            $script:Captured.Arguments = $Argument
            New-EngineOutput -ExitCode 0 -Lines @(
                '{"type":"ioc","file":"/iocs/a.ioc","id":"aaa","sha256":"aa11","version":"1.1","name":"Full","items":3,"evaluable":3,"unsupported":[],"warnings":0}'
                '{"type":"ioc","file":"/iocs/b.ioc","id":"aaa","sha256":"bb22","version":"1.0","name":"Partial","items":4,"evaluable":2,"notEvaluated":{"no-collector":1,"unsupported-term":1},"canFire":false,"unsupported":["Yara/TextString","ProcessItem/SectionList"],"warnings":1}'
                '{"type":"ioc","file":"/iocs/c.ioc","id":"aaa","sha256":"aa11","version":"1.1","name":"Full again","items":3,"evaluable":3,"unsupported":[],"warnings":0,"duplicate":true}'
                '{"type":"rejected","file":"/iocs/d.ioc","error":"not an OpenIOC document"}'
                '{"type":"summary","files":4,"iocs":3}'
            )
        }
    }

    It 'returns IocScan.Indicator objects with what is and is not evaluable' {
        $indicators = @(Get-IocIndicator -Path (Join-Path $TestDrive 'iocs') -ErrorAction SilentlyContinue)
        $indicators.Count | Should -Be 3
        $indicators[0].PSObject.TypeNames[0] | Should -Be 'IocScan.Indicator'
        $indicators[0].FullyEvaluable | Should -BeTrue
        $indicators[1].Name | Should -Be 'Partial'
        $indicators[1].NotEvaluable | Should -Be 2
        $indicators[1].FullyEvaluable | Should -BeFalse
        $indicators[1].Unsupported | Should -Be @('Yara/TextString', 'ProcessItem/SectionList')
        $indicators[1].NotEvaluated['no-collector'] | Should -Be 1
        $indicators[1].NotEvaluated['unsupported-term'] | Should -Be 1
        $indicators[1].CanFire | Should -BeFalse
        $indicators[2].Duplicate | Should -BeTrue
        $indicators.Sha256 | Should -Be @('aa11', 'bb22', 'aa11')
        $Captured.Arguments | Should -Be @('indicators', (Join-Path $TestDrive 'iocs'), '--json')
    }

    It 'takes files from the pipeline and asks the engine once' {
        Get-ChildItem (Join-Path $TestDrive 'iocs') -Filter *.ioc | Get-IocIndicator -ErrorAction SilentlyContinue | Out-Null
        Should -Invoke Invoke-IocEngine -ModuleName IocScan -Times 1 -Exactly
        $Captured.Arguments.Count | Should -Be 4
    }

    It 'returns what loaded and warns that the result is incomplete when the engine exits 3' {
        Mock Invoke-IocEngine -ModuleName IocScan {
            New-EngineOutput -ExitCode 3 -Lines @(
                '{"type":"ioc","file":"/iocs/a.ioc","id":"aaa","version":"1.1","name":"Full","items":3,"evaluable":3,"unsupported":[],"warnings":0}'
                '{"type":"rejected","file":"/iocs/d.ioc","error":"not an OpenIOC document"}'
                '{"type":"summary","files":2,"iocs":1}'
            )
        }
        $indicators = @(Get-IocIndicator -Path (Join-Path $TestDrive 'iocs') -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue)
        $indicators.Count | Should -Be 1
        @($problems | ForEach-Object FullyQualifiedErrorId) | Should -Be @('IocScan.IocFileRejected,Get-IocIndicator')
        ($warned -join ' ') | Should -Match 'incomplete'
    }

    It 'reports rejected files and missing paths as non-terminating errors with stable ids' {
        $indicators = @(Get-IocIndicator -Path (Join-Path $TestDrive 'iocs'), (Join-Path $TestDrive 'nowhere') -ErrorVariable problems -ErrorAction SilentlyContinue)
        $indicators.Count | Should -Be 3
        @($problems | ForEach-Object FullyQualifiedErrorId) | Should -Be @('IocScan.PathNotFound,Get-IocIndicator', 'IocScan.IocFileRejected,Get-IocIndicator')
    }
}
