@{
    RootModule           = 'IocScan.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = 'a9d21f0b-a83f-457c-9b2d-631fd710a128'
    Author               = 'iocscan contributors'
    CompanyName          = 'iocscan'
    Copyright            = '(c) 2026 iocscan contributors. MIT License (LICENSE).'
    Description          = 'Scans hosts and offline evidence for OpenIOC 1.0/1.1 indicators of compromise through the iocscan engine, returns detections and stored runs as objects, and schedules recurring scans with Task Scheduler (systemd on Linux).'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('Formats/IocScan.Format.ps1xml')
    FunctionsToExport    = @(
        'Invoke-IocScan'
        'Start-IocCriticalScan'
        'Get-IocIndicator'
        'Get-IocScanResult'
        'Register-IocScanTask'
        'Get-IocScanTask'
        'Start-IocScanTask'
        'Unregister-IocScanTask'
        'Start-IocIsolation'
        'Get-IocIsolation'
        'Stop-IocIsolation'
        'Get-IocQuarantine'
        'Restore-IocQuarantine'
        'Remove-IocQuarantine'
        'Export-IocScanReport'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenIOC', 'IOC', 'Security', 'IncidentResponse', 'ScheduledTask', 'Windows', 'Linux')
            LicenseUri   = 'https://spdx.org/licenses/MIT.html'
            ReleaseNotes = 'First release: Invoke-IocScan, Get-IocIndicator, Get-IocScanResult and scan tasks. The release packages (deno task package) carry the engine bundle and Deno 2.9.6 in the module''s bin folder, so the module runs with no other download.'
        }
    }
}
