# The IocScan module: a thin front door to the iocscan engine. Private helpers
# load first so that public functions can rely on them; a release build may
# merge every file into this one, and then the loops below find nothing.
Set-StrictMode -Version 2.0

$script:ModuleRoot = $PSScriptRoot

# The engine's collectors, generated from scan/collector_list.ts (Get-IocCollector).
$script:IocCollectors = @((Import-PowerShellDataFile -Path (Join-Path $PSScriptRoot 'Data/Collectors.psd1')).Collectors)

# The engine's response actions, generated from scan/action_list.ts (Get-IocAction).
$script:IocActionData = Import-PowerShellDataFile -Path (Join-Path $PSScriptRoot 'Data/Actions.psd1')

foreach ($folder in @('Private', 'Public')) {
    $files = @(Get-ChildItem -Path (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' -File -ErrorAction SilentlyContinue)
    foreach ($file in ($files | Sort-Object Name)) {
        . $file.FullName
    }
}
